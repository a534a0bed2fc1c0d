package chain

import (
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"

	"github.com/datashare/datashare/contracts"
)

// RevertError is the contract refusing a call or a transaction. Error() is a sentence for the
// user ("dataset 7 does not exist", "the price is 0.01 ETH but 0.005 ETH was sent").
type RevertError struct {
	// Reason is the contract's typed error (*contracts.DataShareNotOwner, …); a string for a
	// require message or a panic; nil when the revert carried no data this package can decode.
	Reason any
	// Data is the raw revert data (may be empty).
	Data []byte
}

func (e *RevertError) Error() string {
	if msg, ok := describe(e.Reason); ok {
		return msg
	}
	if s, ok := e.Reason.(string); ok && s != "" {
		return "the contract refused: " + s
	}
	if len(e.Data) >= 4 {
		return fmt.Sprintf("the contract refused (error 0x%x)", e.Data[:4])
	}
	return "the contract refused the call"
}

// Is makes errors.Is(err, ErrNotFound) true for an unknown dataset.
func (e *RevertError) Is(target error) bool {
	if target == ErrNotFound {
		_, ok := e.Reason.(*contracts.DataShareDatasetNotFound)
		return ok
	}
	return false
}

// revertFrom turns an error from eth_call, eth_estimateGas or eth_sendRawTransaction into a
// *RevertError, or returns nil if err is not a revert.
func revertFrom(err error) *RevertError {
	if err == nil {
		return nil
	}
	var re *RevertError
	if errors.As(err, &re) {
		return re
	}
	data, ok := contracts.RevertData(err)
	if !ok {
		if strings.Contains(err.Error(), "execution reverted") {
			return &RevertError{}
		}
		return nil
	}
	return revertFromData(data)
}

// revertFromData decodes revert data: a DataShare custom error, Error(string), Panic(uint256).
func revertFromData(data []byte) *RevertError {
	re := &RevertError{Data: data}
	if v, err := contracts.UnpackRevert(data); err == nil {
		re.Reason = v
	} else if s, err := abi.UnpackRevert(data); err == nil {
		re.Reason = s
	}
	return re
}

// describe is the user-facing sentence for each of the contract's custom errors. The second
// result is false for anything else; a test fails when an error of the ABI has no sentence here.
func describe(reason any) (string, bool) {
	switch r := reason.(type) {
	case *contracts.DataShareDatasetNotFound:
		return fmt.Sprintf("dataset %s does not exist", r.Id), true
	case *contracts.DataShareNotOwner:
		return fmt.Sprintf("you are not the owner of dataset %s", r.Id), true
	case *contracts.DataShareNotOwnerOrOperator:
		return fmt.Sprintf("only the owner of dataset %s, or a device the owner authorised, can do this (sent by %s)", r.Id, r.Caller.Hex()), true
	case *contracts.DataShareEmptyCid:
		return "the dataset's metadata reference (CID) is empty", true
	case *contracts.DataShareEmptyEnvelope:
		return "the encrypted dataset key (envelope) is empty", true
	case *contracts.DataSharePriceTooHigh:
		return fmt.Sprintf("the price %s is too high (the most is %s)", FormatEther(r.Price), FormatEther(maxPrice)), true
	case *contracts.DataShareInvalidKey:
		return "the encryption key is empty (all zeros)", true
	case *contracts.DataShareInvalidOperator:
		return fmt.Sprintf("%s cannot be made a device of this account (it is the zero address or the account itself)", r.Device.Hex()), true
	case *contracts.DataShareInvalidGrantee:
		return fmt.Sprintf("access cannot be granted to %s (the zero address or the dataset's owner)", r.Grantee.Hex()), true
	case *contracts.DataShareNoGrantees:
		return "no accounts were given to grant access to", true
	case *contracts.DataShareLengthMismatch:
		return fmt.Sprintf("%s accounts but %s encrypted keys were given: each account needs its own", r.Grantees, r.Envelopes), true
	case *contracts.DataShareNoEncryptionKey:
		return fmt.Sprintf("%s has not registered an encryption key yet, so no dataset key can be delivered to it: register one first", r.Account.Hex()), true
	case *contracts.DataShareZeroRefundTimeout:
		return "the refund timeout must be at least one second", true
	case *contracts.DataShareOwnerCannotRequest:
		return fmt.Sprintf("you own dataset %s: there is no need to request access", r.Id), true
	case *contracts.DataShareWrongPayment:
		return fmt.Sprintf("the price is %s but %s was sent", FormatEther(r.Price), FormatEther(r.Sent)), true
	case *contracts.DataShareAlreadyRequested:
		return fmt.Sprintf("%s already has a pending request for dataset %s", r.Account.Hex(), r.Id), true
	case *contracts.DataShareAlreadyGranted:
		return fmt.Sprintf("%s already has access to the current version of dataset %s", r.Account.Hex(), r.Id), true
	case *contracts.DataShareRevokedByOwner:
		return fmt.Sprintf("the owner of dataset %s revoked the access of %s; only the owner can grant it again", r.Id, r.Account.Hex()), true
	case *contracts.DataShareNothingToRevoke:
		return fmt.Sprintf("%s has neither requested nor been granted access to dataset %s", r.Account.Hex(), r.Id), true
	case *contracts.DataShareNoPendingRequest:
		return fmt.Sprintf("%s has no pending request for dataset %s (it was answered, declined or refunded)", r.Account.Hex(), r.Id), true
	case *contracts.DataShareRefundNotYetAvailable:
		return fmt.Sprintf("the refund for dataset %s is available from %s", r.Id, formatTime(r.AvailableAt)), true
	case *contracts.DataShareNothingToWithdraw:
		return "there is nothing to withdraw", true
	case *contracts.DataShareTransferFailed:
		return fmt.Sprintf("sending %s to %s failed", FormatEther(r.Amount), r.To.Hex()), true
	case *contracts.DataShareReentrancy:
		return "the contract refused a re-entrant call", true
	}
	return "", false
}

// maxPrice is the highest price the contract accepts (2^96-1 wei).
var maxPrice = new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 96), big.NewInt(1))

func formatTime(unix *big.Int) string {
	if !unix.IsInt64() {
		return "time " + unix.String()
	}
	return time.Unix(unix.Int64(), 0).UTC().Format("2006-01-02 15:04:05 UTC")
}

// FormatEther formats wei as an exact decimal amount of ether: "0.01 ETH", "1.5 ETH", "0 ETH".
func FormatEther(wei *big.Int) string {
	if wei == nil {
		return "0 ETH"
	}
	neg := wei.Sign() < 0
	v := new(big.Int).Abs(wei)
	q, r := new(big.Int).QuoRem(v, big.NewInt(1e18), new(big.Int))
	s := q.String()
	if r.Sign() != 0 {
		frac := fmt.Sprintf("%018s", r.String())
		s += "." + strings.TrimRight(frac, "0")
	}
	if neg {
		s = "-" + s
	}
	return s + " ETH"
}

// FundsError is ErrInsufficientFunds with the amounts: what the account has and what the
// transaction may cost at most (value plus the highest fee).
type FundsError struct {
	Account common.Address
	Balance *big.Int
	Need    *big.Int
}

func (e *FundsError) Error() string {
	return fmt.Sprintf("insufficient funds: %s has %s but needs up to %s (value and fee)",
		e.Account.Hex(), FormatEther(e.Balance), FormatEther(e.Need))
}

// Is makes errors.Is(err, ErrInsufficientFunds) true.
func (e *FundsError) Is(target error) bool { return target == ErrInsufficientFunds }
