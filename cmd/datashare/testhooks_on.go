//go:build datashare_testhooks

package main

import (
	"fmt"
	"os"
	"syscall"

	"github.com/datashare/datashare/backend/share"
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

// atStage lets the crash-safety tests stop a command when its publish reaches a stage
// (DATASHARE_HOOK_STAGE, e.g. confirm: the transaction is signed and journaled, maybe not
// sent): DATASHARE_HOOK_ACTION=kill kills the process (SIGKILL); pause says "hook: paused at
// STAGE" on stderr and blocks that stage's progress report for good. Only a command built
// with the datashare_testhooks tag has it.
func atStage(s share.Stage) {
	if string(s) != os.Getenv("DATASHARE_HOOK_STAGE") {
		return
	}
	switch os.Getenv("DATASHARE_HOOK_ACTION") {
	case "kill":
		syscall.Kill(os.Getpid(), syscall.SIGKILL)
		select {}
	case "pause":
		fmt.Fprintf(os.Stderr, "hook: paused at %s\n", s)
		select {}
	}
}
