package api

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"syscall"

	"golang.org/x/sys/windows"
)

// maxAddr is the longest path a socket address holds (sun_path, less its NUL).
const maxAddr = 107

// isSocket: an AF_UNIX socket file is a reparse point Go reports as a socket or irregular file.
func isSocket(fi os.FileInfo) bool {
	return fi.Mode()&os.ModeSocket != 0 || fi.Mode()&os.ModeIrregular != 0
}

// listenSocket binds the socket at path. Windows has no file modes: the socket file takes the
// access control list of the profile directory (in the user's own profile folder, which only
// the user and the system can open), and checkPeer refuses other users.
func listenSocket(path string) (*net.UnixListener, error) {
	if len(path) > maxAddr {
		return nil, errPathTooLong(path)
	}
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: path, Net: "unix"})
	if err != nil {
		return nil, err
	}
	ln.SetUnlinkOnClose(false)
	return ln, nil
}

func dialSocket(ctx context.Context, path string) (net.Conn, error) {
	if len(path) > maxAddr {
		return nil, errPathTooLong(path)
	}
	var d net.Dialer
	c, err := d.DialContext(ctx, "unix", path)
	if err != nil {
		return nil, fmt.Errorf("connect to %s: %w", path, unwrapOp(err))
	}
	return c, nil
}

// lockFile is an exclusive lock (LockFileEx) on a file, dropped when the process dies.
type lockFile struct{ f *os.File }

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

func (l *lockFile) unlock() error { return l.f.Close() }

const wsaeconnrefused = syscall.Errno(10061)

func isRefused(err error) bool { return errors.Is(err, wsaeconnrefused) }

func isNoSocket(err error) bool {
	return errors.Is(err, os.ErrNotExist) || errors.Is(err, windows.ERROR_FILE_NOT_FOUND) || errors.Is(err, windows.ERROR_PATH_NOT_FOUND)
}

func isDenied(err error) bool {
	return errors.Is(err, os.ErrPermission) || errors.Is(err, windows.WSAEACCES)
}
