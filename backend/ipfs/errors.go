package ipfs

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"syscall"
)

var (
	// ErrUnavailable means the IPFS daemon could not be reached, went away
	// or stopped answering. The operation did not complete; retrying after
	// the daemon is back (or reopening the Store, which may fall back to the
	// embedded node) is the way out.
	ErrUnavailable = errors.New("ipfs daemon unavailable")

	// ErrStalled means a transfer made no progress for Options.StallTimeout:
	// typically no reachable peer has the data.
	ErrStalled = errors.New("ipfs transfer stalled")

	// ErrRepoLocked means the embedded repository is held by another process
	// (another DataShare instance, or an ipfs daemon started on it).
	ErrRepoLocked = errors.New("ipfs repository is in use by another process")

	// ErrClosed is returned by calls on a Store after Close.
	ErrClosed = errors.New("ipfs store closed")

	// ErrNotStarted is returned by calls on a Store made by Unstarted: the
	// program chose not to start IPFS, so calling it is a mistake of the
	// program's, not a state of the network.
	ErrNotStarted = errors.New("ipfs was not started")
)

// fail turns err from an operation described by what into the error a caller
// sees: the context's error if the context ended (or the stall error if a
// watchdog ended it), ErrUnavailable if the daemon's connection broke.
func (s *Store) fail(ctx context.Context, what string, err error) error {
	if err == nil {
		return nil
	}
	if ctx.Err() != nil {
		cause := context.Cause(ctx)
		if errors.Is(cause, ErrStalled) || errors.Is(cause, ErrUnavailable) {
			return fmt.Errorf("%s: %w", what, cause)
		}
		return fmt.Errorf("%s: %w", what, ctx.Err())
	}
	if s.mode == ModeDaemon && isConnError(err) {
		return fmt.Errorf("%s: %w: %w", what, ErrUnavailable, err)
	}
	return fmt.Errorf("%s: %w", what, err)
}

// isConnError reports whether err is a transport failure talking to the
// daemon (refused, reset, cut short), as opposed to an error the daemon
// answered with.
func isConnError(err error) bool {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	var ue *url.Error
	var oe *net.OpError
	return errors.As(err, &ue) || errors.As(err, &oe) ||
		errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, syscall.ECONNREFUSED) ||
		errors.Is(err, syscall.EPIPE) ||
		errors.Is(err, net.ErrClosed)
}
