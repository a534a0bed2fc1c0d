package share

import (
	"context"
	"errors"
	"os"

	"github.com/datashare/datashare/backend/approval"
	"github.com/datashare/datashare/backend/chain"
	"github.com/datashare/datashare/backend/chain/devnet"
	"github.com/datashare/datashare/backend/index"
	"github.com/datashare/datashare/backend/ipfs"
	"github.com/datashare/datashare/backend/keys"
	"github.com/datashare/datashare/backend/seal"
	"github.com/datashare/datashare/backend/walletconnect"
)

// Error codes: what kind of failure an error is, for a user interface to branch on (the GUI
// picks what to offer, the CLI its exit code). They are stable: the frontend spells them too.
// Messages are for people and may change; codes may not.
const (
	CodeCanceled          = "canceled"           // the user (or shutdown) stopped it
	CodeRejected          = "rejected"           // the account holder declined, here or on the phone
	CodeExpired           = "expired"            // an approval or a pairing code ran out of time
	CodeRelayUnavailable  = "relay_unavailable"  // the WalletConnect relay cannot be used
	CodeInsufficientFunds = "insufficient_funds" // the account cannot pay value plus fee
	CodeNoAccess          = "no_access"          // no key for this dataset was granted to this account
	CodeNoKey             = "no_key"             // this profile's keys are missing, or not the ones the data was sealed for
	CodeNoRecipientKey    = "no_recipient_key"   // the account to share with registered no encryption key on this network
	CodeNotOwner          = "not_owner"          // only the dataset's owner may do this
	CodeWrongPassphrase   = "wrong_passphrase"   // the passphrase did not open the keys
	CodeWeakPassphrase    = "weak_passphrase"    // a new passphrase is empty or too weak
	CodeBusy              = "busy"               // already running (the same publish, the chain, the IPFS repository)
	CodeExists            = "exists"             // the file (or keys) would be replaced
	CodeNotFound          = "not_found"          // no such file, directory or dataset
	CodeRefused           = "refused"            // the contract refused the call or the transaction failed on chain
	CodeOnChain           = "on_chain"           // a publish may be on chain already, so it cannot be discarded: resume it
	CodeWrongNetwork      = "wrong_network"      // the node serves another chain, or has no DataShare contract
	CodeInvalidInput      = "invalid_input"      // what was typed or chosen is not acceptable
	CodeCorrupt           = "corrupt"            // data or keys are damaged or were tampered with
	CodeUnavailable       = "unavailable"        // the chain, IPFS or the keyring cannot be reached, or it took too long
	CodeInternal          = "internal"           // anything else
)

// Codes lists every code Code returns, in the order it tests them.
var Codes = []string{
	CodeCanceled, CodeRejected, CodeExpired, CodeRelayUnavailable, CodeInsufficientFunds,
	CodeNoAccess, CodeNoKey, CodeNoRecipientKey, CodeNotOwner, CodeWrongPassphrase, CodeWeakPassphrase, CodeBusy, CodeExists,
	CodeNotFound, CodeRefused, CodeOnChain, CodeWrongNetwork, CodeInvalidInput, CodeCorrupt, CodeUnavailable,
	CodeInternal,
}

// ErrInvalidInput is matched (errors.Is) by errors about what the user typed or chose.
var ErrInvalidInput = errors.New("invalid input")

// codeRules maps sentinel errors to codes; the first rule that matches wins, so a specific
// cause (rejected) is found before a general one it may be wrapped with (unavailable).
var codeRules = []struct {
	code string
	errs []error
}{
	{CodeCanceled, []error{context.Canceled}},
	{CodeRejected, []error{approval.ErrRejected, walletconnect.ErrRejected}},
	{CodeExpired, []error{approval.ErrExpired, walletconnect.ErrExpired}},
	{CodeRelayUnavailable, []error{walletconnect.ErrRelayUnavailable}},
	{CodeInsufficientFunds, []error{chain.ErrInsufficientFunds}},
	{CodeNoAccess, []error{ErrNoAccess}},
	{CodeNoKey, []error{seal.ErrWrongKey, keys.ErrNoKeys, keys.ErrKeysMissing}},
	{CodeNoRecipientKey, []error{ErrNoRecipientKey}},
	{CodeNotOwner, []error{ErrNotOwner}},
	{CodeWrongPassphrase, []error{keys.ErrWrongPassphrase}},
	{CodeWeakPassphrase, []error{keys.ErrWeakPassphrase}},
	{CodeBusy, []error{ErrBusy, devnet.ErrInUse, ipfs.ErrRepoLocked}},
	{CodeExists, []error{os.ErrExist, keys.ErrExistingKeys}},
	{CodeNotFound, []error{ErrNotFound, chain.ErrNotFound, index.ErrNotFound, os.ErrNotExist}},
	{CodeRefused, []error{chain.ErrTxFailed}},
	{CodeOnChain, []error{ErrOnChain}},
	{CodeWrongNetwork, []error{chain.ErrWrongNetwork, chain.ErrNoContract}},
	{CodeInvalidInput, []error{ErrInvalidInput, seal.ErrInvalidPublicKey}},
	{CodeCorrupt, []error{seal.ErrCorrupt, keys.ErrCorrupt}},
	{CodeUnavailable, []error{
		chain.ErrUnavailable, ipfs.ErrUnavailable, ipfs.ErrStalled, ipfs.ErrClosed,
		keys.ErrKeyringUnavailable, walletconnect.ErrClosed, context.DeadlineExceeded,
	}},
}

// Code is the code of err ("" for nil): an error in its chain with a method ErrorCode() string
// names its own; otherwise the first matching sentinel or typed error decides (see Codes);
// CodeInternal when nothing matches.
func Code(err error) string {
	if err == nil {
		return ""
	}
	var c interface{ ErrorCode() string }
	if errors.As(err, &c) {
		if code := c.ErrorCode(); code != "" {
			return code
		}
	}
	for _, r := range codeRules {
		for _, target := range r.errs {
			if errors.Is(err, target) {
				return r.code
			}
		}
	}
	var revert *chain.RevertError // after not_found: an unknown dataset is a revert too
	if errors.As(err, &revert) {
		return CodeRefused
	}
	return CodeInternal
}

// sentence is an error whose message is a full sentence that replaces the text of its cause,
// while errors.Is and Code still see the cause.
func sentence(msg string, cause error) error { return &sentenceError{msg, cause} }

type sentenceError struct {
	msg   string
	cause error
}

func (e *sentenceError) Error() string { return e.msg }
func (e *sentenceError) Unwrap() error { return e.cause }
