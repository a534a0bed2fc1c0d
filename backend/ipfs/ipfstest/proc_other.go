//go:build !linux

package ipfstest

import "syscall"

// daemonAttr: only Linux can tie the daemon's life to the test process; on
// other systems a test process killed outright may leave a daemon behind.
func daemonAttr() *syscall.SysProcAttr { return nil }
