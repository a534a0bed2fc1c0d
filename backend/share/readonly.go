package share

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"filippo.io/age"
	"github.com/ethereum/go-ethereum/common"

	"github.com/datashare/datashare/backend/approval"
	"github.com/datashare/datashare/backend/ipfs"
	"github.com/datashare/datashare/backend/keys"
)

// A profile opened with Config.ReadOnly serves listing and status, and nothing else: Open starts
// no IPFS node (in daemon mode it only asks the daemon, and uses it if it answers at once) and
// sends no transaction (no top-up of the device key; the background recovery of Open only looks).
// Its keys stay locked: only their public part is read (keys.json), so no passphrase is asked.
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

// publicKeys is what a profile shows of its keys: the device key's address, the encryption
// identity's public key and where the secrets are kept. None of it is secret: keys.json holds it
// in the clear.
type publicKeys struct {
	device  common.Address
	encKey  [32]byte
	backend string
}

// openKeys loads the profile's keys. Read-only, it reads only their public part (keys.json):
// listing and status need no secret, so no passphrase is asked, no scrypt runs and the system
// keyring is not asked. A profile with no keys yet (a first start makes them), or whose
// keys.json cannot be read, opens its keys as usual, which says what is wrong.
func (s *Service) openKeys(ctx context.Context, dir string, cfg Config) error {
	s.keyOpts = keys.Options{DataDir: dir, Passphrase: cfg.Passphrase, NoKeyring: cfg.NoKeyring}
	if cfg.ReadOnly {
		if st, err := keys.ReadStatus(dir); err == nil {
			s.pub = publicKeys{device: st.DeviceAddress, encKey: st.EncryptionKey, backend: st.Backend}
			return nil
		}
	}
	k, err := keys.Open(ctx, s.keyOpts)
	if err != nil {
		return err
	}
	s.keys = k
	s.pub = publicKeys{device: k.DeviceAddress(), encKey: k.EncryptionKey(), backend: k.Backend()}
	return nil
}

// identity is the profile's encryption identity; what needs it fails with ErrReadOnly on a
// profile whose keys stayed locked (unless unlockIdentity unlocked them). op names what needed
// it. The chain sync uses it: a listing never unlocks the keys.
func (s *Service) identity(op string) (*age.X25519Identity, error) {
	if s.keys != nil {
		return s.keys.Identity(), nil
	}
	s.unlockMu.Lock()
	defer s.unlockMu.Unlock()
	if s.unlocked != nil {
		return s.unlocked.Identity(), nil
	}
	return nil, readOnlyError{op}
}

// unlockIdentity is identity for a read-only use case that cannot do without it (the share
// links a profile made are sealed to it: Links): on a profile whose keys stayed locked, it
// unlocks them now, once (the passphrase is asked then), for reading only.
func (s *Service) unlockIdentity(ctx context.Context) (*age.X25519Identity, error) {
	if s.keys != nil {
		return s.keys.Identity(), nil
	}
	s.unlockMu.Lock()
	defer s.unlockMu.Unlock()
	if s.unlocked == nil {
		k, err := keys.Open(ctx, s.keyOpts)
		if err != nil {
			return nil, err
		}
		if k.DeviceAddress() != s.pub.device || k.EncryptionKey() != s.pub.encKey {
			return nil, fmt.Errorf("keys: %w: keys.json does not describe the keys it sits beside; removing it makes DataShare rebuild it", keys.ErrCorrupt)
		}
		s.unlocked = k
	}
	return s.unlocked.Identity(), nil
}

// metaApprover is the index key of the account that approved last, in the clear: the phone
// wallet's while a session is connected (with the session's expiry), else the device key's. A
// read-only open, which leaves the wallet's session locked with the other secrets, reads it.
const metaApprover = "approver"

// recordApprover writes metaApprover after the wallet's session changed (or was resumed). A
// failure only makes a later read-only open show the device key as the account.
func (s *Service) recordApprover() {
	if s.index == nil {
		return
	}
	v := s.pub.device.Hex()
	if s.wallet != nil {
		if ses := s.wallet.client.Session(); ses != nil && ses.Account != (common.Address{}) {
			v = ses.Account.Hex() + "," + strconv.FormatInt(ses.Expiry.Unix(), 10)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if old, err := s.index.Meta(ctx, metaApprover); err == nil && old == v {
		return // unchanged: no write (each is synced to disk)
	}
	_ = s.index.SetMeta(ctx, metaApprover, v)
}

// lockedApprover stands for the approvers of a profile opened read-only: its account is the one
// recordApprover wrote (the device key's when none, or when the session has expired since), and
// it approves nothing.
type lockedApprover struct {
	s       *Service
	once    sync.Once
	account common.Address
}

func (l *lockedApprover) Account() common.Address {
	l.once.Do(func() {
		l.account = l.s.pub.device
		if l.s.index == nil {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		v, err := l.s.index.Meta(ctx, metaApprover)
		if err != nil {
			return
		}
		a, exp, ok := strings.Cut(v, ",")
		if secs, err := strconv.ParseInt(exp, 10, 64); ok && err == nil && common.IsHexAddress(a) && time.Now().Before(time.Unix(secs, 0)) {
			l.account = common.HexToAddress(a)
		}
	})
	return l.account
}

func (l *lockedApprover) Approve(_ context.Context, req approval.Request) approval.Outcome {
	return approval.Outcome{Status: approval.Failed, Err: readOnlyError{"sending a transaction (" + req.Action + ")"}}
}
