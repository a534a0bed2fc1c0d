package share

import (
	"context"
	"errors"

	"github.com/datashare/datashare/backend/config"
)

// Recipient is what Share would find for one typed address: the address in its EIP-55 form and
// whether the account registered an encryption key (Message says what to do when not).
type Recipient struct {
	Account    string `json:"account"`
	Registered bool   `json:"registered"`
	Message    string `json:"message,omitempty"`
}

// CheckRecipient checks a typed address as Share does (an invalid_input error for a malformed
// one or a wrong EIP-55 checksum) and looks up its registered encryption key on chain, so a
// form can say before any approval whether sharing with it can work. It changes nothing.
func (s *Service) CheckRecipient(ctx context.Context, addr string) (Recipient, error) {
	a, err := config.ParseAddress(addr)
	if err != nil {
		return Recipient{}, sentence(err.Error(), ErrInvalidInput)
	}
	r := Recipient{Account: a.Hex()}
	if _, err := s.recipientKey(ctx, a); err != nil {
		if !errors.Is(err, ErrNoRecipientKey) {
			return Recipient{}, err
		}
		r.Message = err.Error()
		return r, nil
	}
	r.Registered = true
	return r, nil
}
