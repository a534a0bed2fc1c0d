package ipfs

import (
	"context"
	"time"
)

// watchdog ends a context when an operation makes no progress for a while.
// Its clock runs only while the operation waits on the other side (the
// daemon, the network); the caller's own time — producing input, consuming
// output — never counts.
type watchdog struct {
	timeout time.Duration
	timer   *time.Timer
	cancel  context.CancelCauseFunc
}

// newWatchdog returns a context derived from ctx that is cancelled with cause
// once the clock, started now, reaches timeout.
func newWatchdog(ctx context.Context, timeout time.Duration, cause error) (context.Context, *watchdog) {
	ctx, cancel := context.WithCancelCause(ctx)
	w := &watchdog{timeout: timeout, cancel: cancel}
	w.timer = time.AfterFunc(timeout, func() { cancel(cause) })
	return ctx, w
}

// waiting restarts the clock: progress was made, or waiting starts again.
func (w *watchdog) waiting() { w.timer.Reset(w.timeout) }

// paused stops the clock while the caller's side is busy.
func (w *watchdog) paused() { w.timer.Stop() }

// stop ends the watchdog and its context.
func (w *watchdog) stop() {
	w.timer.Stop()
	w.cancel(context.Canceled)
}
