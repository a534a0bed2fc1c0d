package ipfstest

import "syscall"

// daemonAttr makes the kernel kill the daemon if the test process dies
// without cleaning up (a panic, a timeout, kill -9).
func daemonAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
