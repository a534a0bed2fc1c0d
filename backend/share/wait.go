package share

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ipfs/go-cid"

	"github.com/datashare/datashare/backend/ipfs"
)

// StageWait: no computer that holds the data answers — the owner's computer is not online, nor
// a mirror or an earlier downloader that keeps it. The download starts when one is; Fetch gives
// up after a while unless FetchOptions.Wait.
const StageWait Stage = "wait"

// How Fetch waits for a computer that holds the data. Variables so that tests can shorten them.
var (
	offlineNotice = 10 * time.Second // a first answer may take this long before Fetch reports StageWait
	offlineWait   = time.Minute      // how long Fetch waits in all, unless FetchOptions.Wait
	redialEvery   = 20 * time.Second // while waiting, the owner's node is dialled again this often
)

// attempted, when set (by tests), is told how long a fetch waited in all after each attempt
// that got no answer.
var attempted func(waited time.Duration)

// ErrOffline is matched (errors.Is) by the error of a fetch that waited in vain for a computer
// that holds the data. Its code is CodeUnavailable.
var ErrOffline = errors.New("no computer that holds the data is online")

// offlineError is the error of a fetch that gave up waiting.
type offlineError struct{ waited time.Duration }

func (e *offlineError) Error() string {
	return fmt.Sprintf("the owner's computer is not online, nor any other computer that keeps this data (waited %v): "+
		"try again later, or keep waiting until it is (datashare get --wait)", e.waited.Round(time.Second))
}
func (e *offlineError) Is(target error) bool { return target == ErrOffline }
func (e *offlineError) ErrorCode() string    { return CodeUnavailable }

// waiter bounds the waiting of one fetch: every wait of a fetch counts against one deadline.
type waiter struct {
	s       *Service
	p       Progress
	forever bool          // FetchOptions.Wait: until the context ends
	left    time.Duration // what remains of offlineWait
	total   time.Duration // how long this fetch waited in all
}

func (s *Service) waiter(opts FetchOptions, p Progress) *waiter {
	return &waiter{s: s, p: p, forever: opts.Wait, left: offlineWait}
}

// errNoAnswer: no block of the data arrived within one attempt.
var errNoAnswer = errors.New("no answer")

// await returns once the first block of c can be read: at once when it is local or a
// connected peer has it. Otherwise it reports StageWait, dials providers (and the other
// profiles on this computer) again every redialEvery, and gives up with an error matching
// ErrOffline when the fetch's wait is used up (never, with FetchOptions.Wait: then only the
// context ends it). After a wait it reports resume, the stage the fetch was in.
func (w *waiter) await(ctx context.Context, c cid.Cid, providers []Provider, resume Stage) error {
	err := w.attempt(ctx, c, offlineNotice)
	if !errors.Is(err, errNoAnswer) {
		return err
	}
	w.p.Stage(StageWait)
	for {
		if !w.forever && w.left <= 0 {
			return &offlineError{waited: w.total}
		}
		w.s.dialLocalPeers(ctx)
		w.s.dialProviders(ctx, providers)
		d := redialEvery
		if !w.forever {
			d = min(d, w.left)
		}
		err := w.attempt(ctx, c, d)
		if errors.Is(err, errNoAnswer) {
			continue
		}
		if err == nil {
			w.p.Stage(resume)
		}
		return err
	}
}

// attempt tries for up to d to read the first block of c; errNoAnswer if none came.
func (w *waiter) attempt(ctx context.Context, c cid.Cid, d time.Duration) error {
	actx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	start := time.Now()
	r, _, err := w.s.ipfs.Open(actx, c)
	if err == nil {
		r.Close()
		return nil
	}
	if ctx.Err() != nil {
		return fmt.Errorf("wait for the data: %w", context.Cause(ctx))
	}
	if actx.Err() != nil || errors.Is(err, ipfs.ErrStalled) {
		spent := time.Since(start)
		w.total += spent
		w.left -= spent
		if attempted != nil {
			attempted(w.total)
		}
		return errNoAnswer
	}
	return err
}
