// Package testreal decides what a test does when a real part it needs (a program, a device, an
// installed package) is missing: under CI (CI=true) the test fails, since a skipped test there
// would hide that the part was never exercised; elsewhere it is skipped with the reason shown.
package testreal

import (
	"fmt"
	"os"
	"os/exec"
	"strconv"
)

// TB is the part of testing.TB this package uses.
type TB interface {
	Helper()
	Fatalf(format string, args ...any)
	Skipf(format string, args ...any)
}

// InCI reports whether the tests run under CI: CI set to a true value (true, 1, ...).
func InCI() bool {
	ci, err := strconv.ParseBool(os.Getenv("CI"))
	return err == nil && ci
}

// Need ends the test when err is not nil: what names the missing part and how to get it
// ("gnome-keyring-daemon (Debian package gnome-keyring)"). Under CI the test fails; elsewhere
// it is skipped. With a nil err, Need does nothing.
func Need(t TB, what string, err error) {
	t.Helper()
	if err == nil {
		return
	}
	msg := fmt.Sprintf("this test needs %s: %v", what, err)
	if InCI() {
		t.Fatalf("%s (CI=true: a missing part fails the test; run make deps-test)", msg)
		return
	}
	t.Skipf("%s (skipped; under CI=true this fails)", msg)
}

// NeedCommand returns the path of the program name, ending the test as Need does when it is
// not installed; hint says how to install it ("Debian package libsecret-tools").
func NeedCommand(t TB, name, hint string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	Need(t, name+" ("+hint+")", err)
	return p
}
