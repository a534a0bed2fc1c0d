package api

import (
	"fmt"
	"net"
	"os"

	"golang.org/x/sys/unix"
)

// checkPeer refuses a peer that runs as another user: the kernel's record of who connected
// (SO_PEERCRED, taken at connect time).
func checkPeer(c *net.UnixConn) error {
	raw, err := c.SyscallConn()
	if err != nil {
		return err
	}
	var cred *unix.Ucred
	var cerr error
	if err := raw.Control(func(fd uintptr) {
		cred, cerr = unix.GetsockoptUcred(int(fd), unix.SOL_SOCKET, unix.SO_PEERCRED)
	}); err != nil {
		return err
	}
	if cerr != nil {
		return fmt.Errorf("read the peer's credentials: %w", cerr)
	}
	if cred.Uid != uint32(os.Geteuid()) {
		return fmt.Errorf("%w (uid %d)", errForeignPeer, cred.Uid)
	}
	return nil
}
