package api

import (
	"fmt"
	"net"
	"unsafe"

	"golang.org/x/sys/windows"
)

// sioAFUnixGetPeerPID is SIO_AF_UNIX_GETPEERPID (_WSAIOR(IOC_VENDOR, 256)): the process id of
// the peer of an AF_UNIX socket, Windows 10 1803 and later.
const sioAFUnixGetPeerPID = 0x58000100

// checkPeer refuses a peer that runs as another user: it asks the socket for the peer's process
// id and compares the user of that process's token with this process's. (A peer whose process
// exited at once could in principle have its id reused by another process in between; the
// socket's file permissions, inherited from the profile directory, are the first barrier.)
func checkPeer(c *net.UnixConn) error {
	raw, err := c.SyscallConn()
	if err != nil {
		return err
	}
	var pid uint32
	var ierr error
	if err := raw.Control(func(fd uintptr) {
		var n uint32
		ierr = windows.WSAIoctl(windows.Handle(fd), sioAFUnixGetPeerPID, nil, 0,
			(*byte)(unsafe.Pointer(&pid)), uint32(unsafe.Sizeof(pid)), &n, nil, 0)
	}); err != nil {
		return err
	}
	if ierr != nil {
		return fmt.Errorf("ask who connected: %w", ierr)
	}
	peer, err := processUser(pid)
	if err != nil {
		return fmt.Errorf("ask who connected (process %d): %w", pid, err)
	}
	me, err := windows.GetCurrentProcessToken().GetTokenUser()
	if err != nil {
		return err
	}
	if !windows.EqualSid(peer, me.User.Sid) {
		return fmt.Errorf("%w (process %d)", errForeignPeer, pid)
	}
	return nil
}

// processUser is the user the process pid runs as.
func processUser(pid uint32) (*windows.SID, error) {
	h, err := windows.OpenProcess(windows.PROCESS_QUERY_LIMITED_INFORMATION, false, pid)
	if err != nil {
		return nil, err
	}
	defer windows.CloseHandle(h)
	var tok windows.Token
	if err := windows.OpenProcessToken(h, windows.TOKEN_QUERY, &tok); err != nil {
		return nil, err
	}
	defer tok.Close()
	u, err := tok.GetTokenUser()
	if err != nil {
		return nil, err
	}
	return u.User.Sid.Copy()
}
