//go:build !unix

package archive

// noFollow: elsewhere, Write relies on the Lstat of Scan and the Stat after opening.
const noFollow = 0
