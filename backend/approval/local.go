package approval

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/datashare/datashare/backend/chain"
)

// ConfirmFunc shows a summary to the user and reports whether they approved.
type ConfirmFunc func(ctx context.Context, s Summary) (bool, error)

// Local approves on this computer: the device key signs after Confirm returns true.
type Local struct {
	Chain   *chain.Client
	Key     *ecdsa.PrivateKey
	Confirm ConfirmFunc // required: nil refuses every request (ErrNoConfirm)
	Network string      // network name shown in the summary
}

// Account is the device key's address.
func (l *Local) Account() common.Address { return crypto.PubkeyToAddress(l.Key.PublicKey) }

// Approve estimates the transaction, asks for confirmation, signs, sends and confirms it.
func (l *Local) Approve(ctx context.Context, req Request) Outcome {
	if l.Confirm == nil {
		return Outcome{Status: Failed, Err: fmt.Errorf("%s: %w", req.Action, ErrNoConfirm)}
	}
	from := l.Account()
	tx := chain.Tx{From: from, To: req.To, Data: req.Data, Value: req.Value}
	est, err := l.Chain.Estimate(ctx, tx)
	if err != nil {
		return Outcome{Status: Failed, Err: err}
	}
	bal, err := l.Chain.Balance(ctx, from)
	if err != nil {
		return Outcome{Status: Failed, Err: err}
	}
	ok, err := l.Confirm(ctx, summary(req, from, l.Network, est, bal))
	switch {
	case err != nil && (errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded)):
		return Outcome{Status: Expired, Err: fmt.Errorf("%s: %w", req.Action, ErrExpired)}
	case err != nil:
		return Outcome{Status: Failed, Err: err}
	case !ok:
		return Outcome{Status: Rejected, Err: fmt.Errorf("%s: %w", req.Action, ErrRejected)}
	}
	rcpt, err := l.Chain.SignAndSend(ctx, l.Key, tx, est, req.Journal)
	if err != nil {
		return Outcome{Status: Failed, Err: err}
	}
	if req.Check != nil {
		if err := req.Check(rcpt); err != nil {
			return Outcome{Status: Failed, Err: fmt.Errorf("%s: transaction %s was mined but %w", req.Action, rcpt.TxHash.Hex(), err)}
		}
	}
	return Outcome{Status: Approved, Receipt: rcpt}
}
