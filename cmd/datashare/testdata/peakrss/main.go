// Command peakrss runs a command and writes its peak resident memory, in KiB, to a file:
//
//	peakrss OUT COMMAND [ARGS...]
//
// The benchmarks measure through it because a process started by a large one (the test binary,
// after publishing a thousand datasets in-process) reports the starter's peak as its own: Go
// starts commands with vfork, and Linux counts the peak of the memory a process replaced at exec
// in its maximum resident set size. Started from this small program, the figure is the
// command's own (or this program's few MiB, when the command uses less).
package main

import (
	"fmt"
	"os"
	"os/exec"
	"syscall"
)

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: peakrss OUT COMMAND [ARGS...]")
		os.Exit(2)
	}
	c := exec.Command(os.Args[2], os.Args[3:]...)
	c.Stdin, c.Stdout, c.Stderr = os.Stdin, os.Stdout, os.Stderr
	err := c.Run()
	if c.ProcessState == nil {
		fmt.Fprintln(os.Stderr, "peakrss:", err)
		os.Exit(127)
	}
	kib := c.ProcessState.SysUsage().(*syscall.Rusage).Maxrss
	if err := os.WriteFile(os.Args[1], []byte(fmt.Sprint(kib)), 0o600); err != nil {
		fmt.Fprintln(os.Stderr, "peakrss:", err)
		os.Exit(127)
	}
	os.Exit(c.ProcessState.ExitCode())
}
