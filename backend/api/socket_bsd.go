//go:build !linux && !windows

package api

// maxAddr is the longest path a socket address holds here (sun_path is 104 bytes on macOS and
// the BSDs, with its NUL).
const maxAddr = 103

// shortAddr returns path when it fits in a socket address; this system has no way to reach a
// longer one.
func shortAddr(path string) (string, func(), error) {
	if len(path) > maxAddr {
		return "", nil, errPathTooLong(path)
	}
	return path, func() {}, nil
}
