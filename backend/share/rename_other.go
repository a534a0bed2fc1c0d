//go:build !linux

package share

// renameNoReplace moves tmp to target unless target exists (os.ErrExist then).
func renameNoReplace(tmp, target string) error { return linkNoReplace(tmp, target) }
