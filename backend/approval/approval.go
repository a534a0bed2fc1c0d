// Package approval asks the account holder to approve a transaction and reports the outcome.
//
// Every write to the chain goes through an Approver. Two implementations exist by design: this
// computer (Local: the device key signs after the user confirms a readable Summary of the
// action, the dataset, the price and the estimated fee) and a phone wallet (WalletConnect).
// Both end in the same Outcome: approved with a receipt whose expected contract event was
// checked, rejected, expired or failed.
package approval

import (
	"context"
	"errors"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/datashare/datashare/backend/chain"
)

// Sentinel errors callers branch on (wrapped in the error of an Outcome).
var (
	ErrRejected = errors.New("rejected by the account holder")
	ErrExpired  = errors.New("the approval request expired")
	// ErrNoConfirm: Local was given no way to ask the user, so it refuses.
	ErrNoConfirm = errors.New("refused: there is no way to ask for approval on this computer")
)

// Request is one transaction to approve.
type Request struct {
	Action  string         // for people: "Publish dataset", "Grant access"
	Dataset string         // dataset name or id, for people
	To      common.Address // the contract
	Data    []byte         // calldata
	Value   *big.Int       // wei sent with the call (a price), nil for none
	Note    string         // what else the account holder should know, e.g. the access price being set
	// Grantees are the accounts that receive the dataset key with this transaction (a share or a
	// re-grant of a new version), Version the version whose key they receive.
	Grantees []common.Address
	Version  uint64
	// Check verifies the receipt carries the expected contract event; an approval whose receipt
	// fails the check is a failure, not a success.
	Check func(*types.Receipt) error
	// Journal, when set, receives the signed transaction before it is sent, so that a crash
	// between sending and confirming never leads to a second transaction.
	Journal chain.Journal
}

// Summary is what the account holder sees before approving.
type Summary struct {
	Action  string   `json:"action"`
	Dataset string   `json:"dataset"`
	Account string   `json:"account"` // the address that signs and pays
	Network string   `json:"network"`
	Price   *big.Int `json:"price"`   // wei sent to the contract (escrow, price); nil or 0 for none
	Fee     *big.Int `json:"fee"`     // the most the network fee can be, in wei
	Gas     uint64   `json:"gas"`     // estimated gas
	Balance *big.Int `json:"balance"` // the account's balance now
	Note    string   `json:"note"`    // Request.Note
	// Grantees receive the key of Version of Dataset with this transaction (empty when the
	// transaction gives no one a key).
	Grantees []string `json:"grantees,omitempty"`
	Version  uint64   `json:"version,omitempty"`
}

// summary is what the account holder sees of req, sent by from.
func summary(req Request, from common.Address, network string, est chain.Estimate, bal *big.Int) Summary {
	s := Summary{
		Action: req.Action, Dataset: req.Dataset, Account: from.Hex(), Network: network,
		Price: req.Value, Fee: est.Fee, Gas: est.Gas, Balance: bal, Note: req.Note, Version: req.Version,
	}
	for _, g := range req.Grantees {
		s.Grantees = append(s.Grantees, g.Hex())
	}
	return s
}

// Status is how an approval ended.
type Status int

const (
	Approved Status = iota
	Rejected
	Expired
	Failed
)

func (s Status) String() string {
	switch s {
	case Approved:
		return "approved"
	case Rejected:
		return "rejected"
	case Expired:
		return "expired"
	default:
		return "failed"
	}
}

// Outcome is the result of one approval request.
type Outcome struct {
	Status  Status
	Receipt *types.Receipt // set when Approved
	Err     error          // set unless Approved; wraps ErrRejected or ErrExpired for those
}

// Error returns the outcome as an error (nil when approved).
func (o Outcome) Error() error {
	if o.Status == Approved {
		return nil
	}
	if o.Err != nil {
		return o.Err
	}
	return fmt.Errorf("approval %s", o.Status)
}

// Approver gets a transaction approved, sent and confirmed on behalf of an account.
type Approver interface {
	// Account is the address that owns what the transactions create and pays for them.
	Account() common.Address
	// Approve shows the request to the account holder, sends it when approved and waits for a
	// receipt that passes req.Check.
	Approve(ctx context.Context, req Request) Outcome
}
