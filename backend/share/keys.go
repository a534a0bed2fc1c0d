package share

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/datashare/datashare/backend/approval"
	"github.com/datashare/datashare/backend/index"
	"github.com/datashare/datashare/backend/seal"
)

// KeyStatus says whether the account's encryption key is registered on chain, so that others can
// share with it, and whether it is this profile's.
type KeyStatus struct {
	Account    string `json:"account"`
	Registered bool   `json:"registered"`        // the account registered a key on this network
	Matches    bool   `json:"matches"`           // the registered key is this profile's encryption key
	PublicKey  string `json:"publicKey"`         // this profile's key, 0x-hex
	OnChain    string `json:"onChain,omitempty"` // the registered key, 0x-hex, when there is one
	Message    string `json:"message,omitempty"` // what to do, when not registered or not matching
}

// ErrNoRecipientKey is matched by errors about an account that registered no encryption key, so
// nothing can be shared with it.
var ErrNoRecipientKey = errors.New("no encryption key registered")

// ErrNotOwner is matched by refusals of what only a dataset's owner may do.
var ErrNotOwner = errors.New("not the owner")

// KeyStatus reads the current account's registered encryption key from the chain.
func (s *Service) KeyStatus(ctx context.Context) (KeyStatus, error) {
	a := s.Account()
	on, err := s.registeredKey(ctx, a)
	if err != nil {
		return KeyStatus{}, err
	}
	return s.keyStatus(a, on), nil
}

func (s *Service) keyStatus(a common.Address, on [32]byte) KeyStatus {
	mine := s.pub.encKey
	st := KeyStatus{Account: a.Hex(), Registered: on != [32]byte{}, Matches: on == mine, PublicKey: hexKey(mine)}
	switch {
	case !st.Registered:
		st.Message = fmt.Sprintf("%s has no encryption key on %s, so no one can share with it yet: register this profile's key (datashare keys register)", a.Hex(), s.network.Title)
	case !st.Matches:
		st.OnChain = hexKey(on)
		st.Message = fmt.Sprintf("the encryption key registered for %s on %s is not this profile's: import the key backup that holds it (datashare keys import), or register this profile's key (datashare keys register), which cuts this account off from what was shared with the old key", a.Hex(), s.network.Title)
	default:
		st.OnChain = st.PublicKey
	}
	return st
}

func hexKey(k [32]byte) string { return "0x" + hex.EncodeToString(k[:]) }

// registeredKey reads an account's registered key from the contract (all zeros when none) and
// caches it in the index.
func (s *Service) registeredKey(ctx context.Context, a common.Address) ([32]byte, error) {
	k, err := s.chain.EncryptionKey(ctx, a)
	if err != nil {
		return k, fmt.Errorf("read the encryption key of %s: %w", a.Hex(), err)
	}
	if k != ([32]byte{}) {
		head, _ := s.chain.BlockNumber(ctx)
		_ = s.index.PutKey(ctx, index.Key{Account: a.Hex(), PublicKey: k, Block: head}) // a cache: a failure only costs a read
	}
	return k, nil
}

// RegisterKey publishes this profile's encryption key for the current account, so that others
// can share datasets with it (one approval). It does nothing when the key is registered already.
// Registering over another key cuts the account off from what was shared with the old one (see
// KeyStatus).
func (s *Service) RegisterKey(ctx context.Context) (KeyStatus, error) {
	a := s.Account()
	on, err := s.registeredKey(ctx, a)
	if err != nil {
		return KeyStatus{}, err
	}
	mine := s.pub.encKey
	if on == mine {
		return s.keyStatus(a, on), nil
	}
	note := "register your encryption key: others can then share datasets with " + a.Hex()
	if on != ([32]byte{}) {
		note += "; it replaces the key registered now, whose holder loses what was shared with it"
	}
	out := s.approverNow().Approve(ctx, approval.Request{
		Action: "Register encryption key",
		Note:   note,
		To:     s.network.Contract,
		Data:   ds.PackRegisterKey(mine),
		Check: func(r *types.Receipt) error {
			for _, l := range r.Logs {
				if ev, err := ds.UnpackKeyRegisteredEvent(l); err == nil && l.Address == s.network.Contract && ev.Account == a && ev.PublicKey == mine {
					return nil
				}
			}
			return errors.New("it records no KeyRegistered event for this key")
		},
	})
	if err := out.Error(); err != nil {
		return KeyStatus{}, fmt.Errorf("register the encryption key of %s: %w", a.Hex(), err)
	}
	_ = s.index.PutKey(ctx, index.Key{Account: a.Hex(), PublicKey: mine, Block: out.Receipt.BlockNumber.Uint64()})
	return s.keyStatus(a, mine), nil
}

// recipientKey is the registered key of an account to share with, checked: a clear message
// when it has none.
func (s *Service) recipientKey(ctx context.Context, a common.Address) ([32]byte, error) {
	k, err := s.registeredKey(ctx, a)
	if err != nil {
		return k, err
	}
	if k == ([32]byte{}) {
		return k, sentence(fmt.Sprintf("%s has no DataShare encryption key on %s: ask them to open DataShare once on this network (datashare keys register)", a.Hex(), s.network.Title), ErrNoRecipientKey)
	}
	if _, err := seal.RecipientFromBytes(k); err != nil {
		return k, sentence(fmt.Sprintf("%s registered an encryption key that cannot be used (%v): ask them to register their key again (datashare keys register)", a.Hex(), err), ErrNoRecipientKey)
	}
	return k, nil
}
