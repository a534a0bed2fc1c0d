//go:build !unix

package wctest

// lockFile is a no-op where flock is missing: run one test binary at a time there.
func lockFile(string) (func(), error) { return func() {}, nil }
