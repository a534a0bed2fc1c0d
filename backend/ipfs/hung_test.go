//go:build unix

package ipfs_test

import (
	"errors"
	"io"
	"syscall"
	"testing"
	"time"

	"github.com/datashare/datashare/backend/ipfs"
	"github.com/datashare/datashare/backend/ipfs/ipfstest"
)

// A daemon that hangs (SIGSTOP) keeps its connections open: only the stall
// timeout ends the transfer.
func TestDaemonHangs(t *testing.T) {
	const stall = 500 * time.Millisecond
	open := func(t *testing.T) (*ipfstest.Daemon, *ipfs.Store) {
		d := ipfstest.NewDaemon(t)
		s, err := ipfs.Open(testContext(t, time.Minute), ipfs.Options{Mode: ipfs.ModeDaemon, APIAddr: d.API, StallTimeout: stall})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return d, s
	}
	check := func(t *testing.T, what string, err error, since time.Time) {
		t.Helper()
		if !errors.Is(err, ipfs.ErrUnavailable) || !errors.Is(err, ipfs.ErrStalled) {
			t.Errorf("%s: %v, want ErrUnavailable and ErrStalled", what, err)
		}
		if d := time.Since(since); d > 10*stall {
			t.Errorf("%s gave up %v after the daemon hung", what, d)
		}
	}

	t.Run("add", func(t *testing.T) {
		d, s := open(t)
		ctx := testContext(t, time.Minute)
		src := &signalReader{r: stream(21, 64<<30), after: 16 << 20, reached: make(chan struct{})}
		done := make(chan error, 1)
		go func() {
			_, err := s.Add(ctx, src, "x")
			done <- err
		}()
		<-src.reached
		if err := d.Signal(syscall.SIGSTOP); err != nil {
			t.Fatal(err)
		}
		hung := time.Now()
		check(t, "Add", <-done, hung)
	})

	t.Run("fetch", func(t *testing.T) {
		// While pinning, a daemon reports every half second, progress or
		// not: a stuck daemon is told apart from data nobody provides.
		d := ipfstest.NewDaemon(t)
		ctx := testContext(t, time.Minute)
		const stall = 4 * time.Second // the daemon may be silent for 2 s
		s, err := ipfs.Open(ctx, ipfs.Options{Mode: ipfs.ModeDaemon, APIAddr: d.API, StallTimeout: stall})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()

		start := time.Now()
		err = s.Fetch(ctx, missing(t), "x", nil)
		if !errors.Is(err, ipfs.ErrStalled) || errors.Is(err, ipfs.ErrUnavailable) {
			t.Errorf("Fetch of data nobody has: %v, want ErrStalled alone", err)
		}
		if d := time.Since(start); d > 3*stall {
			t.Errorf("Fetch of data nobody has gave up after %v", d)
		}

		if err := d.Signal(syscall.SIGSTOP); err != nil {
			t.Fatal(err)
		}
		hung := time.Now()
		err = s.Fetch(ctx, missing(t), "x", nil)
		if !errors.Is(err, ipfs.ErrUnavailable) || !errors.Is(err, ipfs.ErrStalled) {
			t.Errorf("Fetch from a stuck daemon: %v, want ErrUnavailable and ErrStalled", err)
		}
		if d := time.Since(hung); d >= stall {
			t.Errorf("Fetch from a stuck daemon gave up after %v, want before the stall timeout", d)
		}
	})

	t.Run("read", func(t *testing.T) {
		d, s := open(t)
		ctx := testContext(t, time.Minute)
		c, err := s.Add(ctx, stream(22, 64<<20), "x")
		if err != nil {
			t.Fatal(err)
		}
		r, _, err := s.Open(ctx, c)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		if _, err := io.CopyN(io.Discard, r, 1<<20); err != nil {
			t.Fatal(err)
		}
		if err := d.Signal(syscall.SIGSTOP); err != nil {
			t.Fatal(err)
		}
		hung := time.Now()
		_, err = io.Copy(io.Discard, r)
		check(t, "read", err, hung)
	})
}
