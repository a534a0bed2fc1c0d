//go:build !windows

package api

import (
	"net"
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"
)

func isSocket(fi os.FileInfo) bool { return fi.Mode()&os.ModeSocket != 0 }

// listenSocket binds a socket at path that only this user can connect to. It is bound in a
// fresh 0700 directory, made 0600 and renamed into place, so there is no moment at which
// another user could connect, whatever the umask and the mode of the data directory.
func listenSocket(path string) (*net.UnixListener, error) {
	tmp, err := os.MkdirTemp(filepath.Dir(path), tempPrefix)
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	if err := os.Chmod(tmp, 0o700); err != nil {
		return nil, err
	}
	bound := filepath.Join(tmp, "s")
	addr, release, err := shortAddr(bound)
	if err != nil {
		return nil, err
	}
	defer release()
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: addr, Net: "unix"})
	if err != nil {
		return nil, err
	}
	ln.SetUnlinkOnClose(false) // the socket is moved, and removed by its path
	if err := os.Chmod(bound, 0o600); err != nil {
		ln.Close()
		return nil, err
	}
	if err := os.Rename(bound, path); err != nil {
		ln.Close()
		return nil, err
	}
	return ln, nil
}

// tryLock takes the lock at path, an exclusive advisory lock (flock) held until unlock or
// exit: the kernel drops it when the process dies, so a crash never leaves it held. ok is false
// when another process holds it.
func tryLock(path string) (_ *lockFile, ok bool, _ error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, false, err
	}
	for {
		err = unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB)
		if err != unix.EINTR {
			break
		}
	}
	switch err {
	case nil:
		return &lockFile{f}, true, nil
	case unix.EWOULDBLOCK:
		f.Close()
		return nil, false, nil
	default:
		f.Close()
		return nil, false, err
	}
}

// isRefused: a socket file with nobody listening.
func isRefused(err error) bool { return errorsIs(err, unix.ECONNREFUSED) }

// isNoSocket: no socket file (or its directory is gone or became a file).
func isNoSocket(err error) bool { return errorsIs(err, unix.ENOENT) || errorsIs(err, unix.ENOTDIR) }

// isDenied: the file system refused the connection (another user's socket).
func isDenied(err error) bool { return errorsIs(err, unix.EACCES) || errorsIs(err, unix.EPERM) }
