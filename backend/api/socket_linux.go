package api

import (
	"fmt"
	"path/filepath"

	"golang.org/x/sys/unix"
)

// maxAddr is the longest path a socket address holds (sun_path, less its NUL).
const maxAddr = 107

// shortAddr returns an address for the socket at path that fits in a socket address: path
// itself, or, when it is too long, the same file reached through a descriptor of its directory
// (/proc/self/fd/N/name), valid until release.
func shortAddr(path string) (addr string, release func(), _ error) {
	if len(path) <= maxAddr {
		return path, func() {}, nil
	}
	fd, err := unix.Open(filepath.Dir(path), unix.O_PATH|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return "", nil, fmt.Errorf("open %s: %w", filepath.Dir(path), err)
	}
	addr = fmt.Sprintf("/proc/self/fd/%d/%s", fd, filepath.Base(path))
	if len(addr) > maxAddr {
		unix.Close(fd)
		return "", nil, errPathTooLong(path)
	}
	return addr, func() { unix.Close(fd) }, nil
}
