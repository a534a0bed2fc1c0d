//go:build !datashare_testhooks

package main

// crashAfterPublish does nothing in the shipped command; the crash-safety tests build it with
// the datashare_testhooks tag (testhooks_on.go).
func crashAfterPublish() {}
