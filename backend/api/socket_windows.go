package api

import (
	"errors"
	"net"
	"os"
	"syscall"

	"golang.org/x/sys/windows"
)

// maxAddr is the longest path a socket address holds (sun_path, less its NUL).
const maxAddr = 107

// shortAddr returns path when it fits in a socket address; Windows has no way to reach a
// longer one.
func shortAddr(path string) (string, func(), error) {
	if len(path) > maxAddr {
		return "", nil, errPathTooLong(path)
	}
	return path, func() {}, nil
}

// isSocket: an AF_UNIX socket file is a reparse point Go reports as a socket or irregular file.
func isSocket(fi os.FileInfo) bool {
	return fi.Mode()&os.ModeSocket != 0 || fi.Mode()&os.ModeIrregular != 0
}

// listenSocket binds the socket at path. Windows has no file modes: the socket file takes the
// access control list of the profile directory (in the user's own profile folder, which only
// the user and the system can open), and checkPeer refuses other users.
func listenSocket(path string) (*net.UnixListener, error) {
	addr, release, err := shortAddr(path)
	if err != nil {
		return nil, err
	}
	defer release()
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: addr, Net: "unix"})
	if err != nil {
		return nil, err
	}
	ln.SetUnlinkOnClose(false)
	return ln, nil
}

// tryLock takes the lock at path, an exclusive lock (LockFileEx) dropped when the process dies;
// ok is false when another process holds it.
func tryLock(path string) (_ *lockFile, ok bool, _ error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, false, err
	}
	ol := new(windows.Overlapped)
	err = windows.LockFileEx(windows.Handle(f.Fd()), windows.LOCKFILE_EXCLUSIVE_LOCK|windows.LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, ol)
	switch {
	case err == nil:
		return &lockFile{f}, true, nil
	case errors.Is(err, windows.ERROR_LOCK_VIOLATION):
		f.Close()
		return nil, false, nil
	default:
		f.Close()
		return nil, false, err
	}
}

const wsaeconnrefused = syscall.Errno(10061)

func isRefused(err error) bool { return errors.Is(err, wsaeconnrefused) }

func isNoSocket(err error) bool {
	return errors.Is(err, os.ErrNotExist) || errors.Is(err, windows.ERROR_FILE_NOT_FOUND) || errors.Is(err, windows.ERROR_PATH_NOT_FOUND)
}

func isDenied(err error) bool {
	return errors.Is(err, os.ErrPermission) || errors.Is(err, windows.WSAEACCES)
}
