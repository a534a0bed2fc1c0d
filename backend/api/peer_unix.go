//go:build linux || darwin

package api

import (
	"fmt"
	"net"
	"os"
)

// checkPeer refuses a peer that runs as another user: the kernel's record of who connected,
// taken at connect time (peerUID: SO_PEERCRED on Linux, LOCAL_PEERCRED on macOS).
func checkPeer(c *net.UnixConn) error {
	raw, err := c.SyscallConn()
	if err != nil {
		return err
	}
	var uid uint32
	var cerr error
	if err := raw.Control(func(fd uintptr) { uid, cerr = peerUID(int(fd)) }); err != nil {
		return err
	}
	if cerr != nil {
		return fmt.Errorf("read the peer's credentials: %w", cerr)
	}
	if uid != uint32(os.Geteuid()) {
		return fmt.Errorf("%w (uid %d)", errForeignPeer, uid)
	}
	return nil
}
