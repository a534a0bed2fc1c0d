//go:build !datashare_testhooks

package main

import "github.com/datashare/datashare/backend/share"

// crashAfterPublish does nothing in the shipped command; the crash-safety tests build it with
// the datashare_testhooks tag (testhooks_on.go).
func crashAfterPublish() {}

// atStage does nothing in the shipped command (see testhooks_on.go).
func atStage(share.Stage) {}
