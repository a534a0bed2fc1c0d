//go:build datashare_testhooks

package main

import (
	"os"
	"syscall"
)

// crashAfterPublish lets the crash-safety tests kill the process right after a confirmed
// publish, before the local chain shuts down cleanly: DATASHARE_CRASH_AFTER_PUBLISH=1. Only a
// command built with the datashare_testhooks tag has it.
func crashAfterPublish() {
	if os.Getenv("DATASHARE_CRASH_AFTER_PUBLISH") == "1" {
		syscall.Kill(os.Getpid(), syscall.SIGKILL)
		select {}
	}
}
