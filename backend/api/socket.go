package api

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
)

// SocketPath is where the API of the profile in dataDir listens: <dataDir>/api.sock.
func SocketPath(dataDir string) string { return filepath.Join(dataDir, "api.sock") }

// lockPath is the file whose lock the server of socketPath holds: <dataDir>/api.lock.
func lockPath(socketPath string) string {
	return strings.TrimSuffix(socketPath, ".sock") + ".lock"
}

// tempPrefix names the private directories a socket is bound in before it is moved into place.
const tempPrefix = ".api-"

// errPathTooLong is returned where a socket's path does not fit in a socket address and the
// system offers no way around it.
func errPathTooLong(path string) error {
	return &codedError{"invalid_input", fmt.Sprintf("the profile's directory path is too long for its local API socket (%s is %d bytes, at most %d fit): use a data directory with a shorter path", path, len(path), maxAddr)}
}

// clearStale removes what a dead server left at socketPath: its socket and any private bind
// directory. The caller holds the lock, so no live server owns them. A file there that is not
// a socket is not ours to remove.
func clearStale(socketPath string) error {
	dir := filepath.Dir(socketPath)
	if leftovers, err := filepath.Glob(filepath.Join(dir, tempPrefix+"*")); err == nil {
		for _, d := range leftovers {
			if fi, err := os.Lstat(d); err == nil && fi.IsDir() {
				os.RemoveAll(d)
			}
		}
	}
	fi, err := os.Lstat(socketPath)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return nil
	case err != nil:
		return err
	case !isSocket(fi):
		return &codedError{"exists", fmt.Sprintf("%s exists and is not DataShare's socket: move it away so DataShare can serve this profile", socketPath)}
	}
	if err := os.Remove(socketPath); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("remove the socket left by a DataShare that stopped: %w", err)
	}
	return nil
}

// dialSocket connects to the socket at path.
func dialSocket(ctx context.Context, path string) (net.Conn, error) {
	addr, release, err := shortAddr(path)
	if err != nil {
		return nil, err
	}
	defer release()
	var d net.Dialer
	c, err := d.DialContext(ctx, "unix", addr)
	if err != nil {
		return nil, fmt.Errorf("connect to %s: %w", path, unwrapOp(err))
	}
	return c, nil
}

// lockFile is the server lock of a socket (tryLock): the kernel drops it when the process dies,
// so a crash never leaves it held.
type lockFile struct{ f *os.File }

func (l *lockFile) unlock() error { return l.f.Close() }

func errorsIs(err, target error) bool { return errors.Is(err, target) }

// unwrapOp keeps the system's reason of a failed connect ("connection refused") without the
// address it was reached by.
func unwrapOp(err error) error {
	var se *os.SyscallError
	if errors.As(err, &se) {
		return se.Err
	}
	return err
}
