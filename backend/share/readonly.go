package share

import (
	"context"
	"errors"
	"fmt"

	"github.com/datashare/datashare/backend/ipfs"
)

// A profile opened with Config.ReadOnly serves listing and status, and nothing else: Open starts
// no IPFS node (in daemon mode it only asks the daemon, and uses it if it answers at once) and
// sends no transaction (no top-up of the device key; the background recovery of Open only looks).
// List and Status answer from the index after the usual chain sync; datasets whose metadata must
// come from IPFS (published by this account from another computer) are listed without a name
// until a full open describes them. The methods that need IPFS or may send a transaction fail
// with ErrReadOnly: calling them is a mistake of the program, not of the user.

// ErrReadOnly is matched (errors.Is) by the error of a method that needs IPFS or may send a
// transaction, called on a profile opened with Config.ReadOnly. Its code is CodeInternal.
var ErrReadOnly = errors.New("the profile was opened read-only")

// IPFSNotStarted is Status.IPFSNote on a profile opened read-only whose IPFS was not started.
const IPFSNotStarted = "not started: read-only command"

// readOnlyError is ErrReadOnly for one method, with a message for the developer who called it.
type readOnlyError struct{ op string }

func (e readOnlyError) Error() string {
	return fmt.Sprintf("internal error: %s is not available on a profile opened read-only (share.Config.ReadOnly, for listing and status): open the profile without ReadOnly", e.op)
}
func (e readOnlyError) Is(target error) bool { return target == ErrReadOnly }
func (e readOnlyError) ErrorCode() string    { return CodeInternal }

// writable fails with ErrReadOnly when the profile was opened read-only; op names the method.
func (s *Service) writable(op string) error {
	if s.readOnly {
		return readOnlyError{op}
	}
	return nil
}

// openIPFS opens IPFS as opts say. Read-only, it starts nothing and returns a Store made by
// ipfs.Unstarted with the note for Status, except in daemon mode where it asks the daemon
// (ipfs.Open bounds the probe to about two seconds) and uses it if it answers.
func openIPFS(ctx context.Context, readOnly bool, opts ipfs.Options) (_ *ipfs.Store, note string, _ error) {
	if !readOnly {
		st, err := ipfs.Open(ctx, opts)
		return st, "", err
	}
	if opts.Mode == ipfs.ModeDaemon {
		st, err := ipfs.Open(ctx, opts)
		switch {
		case err == nil:
			return st, "", nil
		case errors.Is(err, ipfs.ErrUnavailable):
			return ipfs.Unstarted(opts), "not started: read-only command, and no IPFS daemon answered", nil
		default:
			return nil, "", err
		}
	}
	if err := ipfs.CheckOptions(opts); err != nil {
		return nil, "", err // a bad address is refused even when nothing would dial it
	}
	return ipfs.Unstarted(opts), IPFSNotStarted, nil
}
