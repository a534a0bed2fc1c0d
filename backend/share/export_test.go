package share

import (
	"context"
	"time"

	"github.com/datashare/datashare/backend/index"
	"github.com/datashare/datashare/backend/ipfs"
)

// Pins lists the profile's IPFS pins, for tests of what a publish leaves pinned.
func (s *Service) Pins(ctx context.Context) ([]ipfs.Pin, error) { return s.ipfs.Pins(ctx) }

// WaitRecovered waits for the background recovery that Open started.
func (s *Service) WaitRecovered(ctx context.Context) error { return s.waitRecovered(ctx) }

// SetStuckAfter changes how long a transaction may stay pending before it is re-signed; it
// returns a function that restores the default.
func SetStuckAfter(d time.Duration) func() {
	old := stuckAfter
	stuckAfter = d
	return func() { stuckAfter = old }
}

// testLocalnet, when set, is the local chain directory of every test profile opened without
// one (see SetChainDir).
var testLocalnet string

// SetChainDir makes every test profile opened afterwards without a LocalnetDir use the local
// chain in dir (run by the first, joined by the others); it returns a function that restores
// the default.
func SetChainDir(dir string) func() {
	old := testLocalnet
	testLocalnet = dir
	return func() { testLocalnet = old }
}

// LocalnetForTests is the directory SetChainDir set ("" when none).
func LocalnetForTests() string { return testLocalnet }

// SetAfterUpdate sets a function called once an update's transaction is confirmed, before the
// re-grant; an error stops the update there, as a crash would. It returns a function that
// restores the default.
func SetAfterUpdate(f func() error) func() {
	old := afterUpdate
	afterUpdate = func(*index.Job) error { return f() }
	return func() { afterUpdate = old }
}
