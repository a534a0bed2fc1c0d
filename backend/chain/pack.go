package chain

import (
	"errors"
	"math/big"

	"github.com/ethereum/go-ethereum/common"

	"github.com/datashare/datashare/contracts"
)

// Calldata for the contract's access functions, for Tx.Data (and a phone wallet's
// eth_sendTransaction). The other functions are packed with contracts.DataShare's Pack… methods.
//
// Which answer to use: Fulfil answers a pending request (paid or free) and fails with
// *contracts.DataShareNoPendingRequest once the requester refunded or was declined, so a key never
// goes out unpaid by mistake; GrantAccess and GrantMany share directly (they also answer a pending
// request of the account, releasing its escrow to the owner); Decline refunds a request without a
// ban; Revoke stops future versions.

var dsABI = contracts.NewDataShare()

// Grant is one account's key envelope for GrantMany.
type Grant struct {
	Grantee  common.Address
	Envelope []byte // the dataset key sealed to the grantee's registered encryption key
}

// ErrNoGrants is GrantManyData given no grants.
var ErrNoGrants = errors.New("no accounts to grant access to")

// FulfilData is the calldata of fulfil(id, requester, envelope): the current version's key to an
// account with a pending request, releasing its escrow to the owner.
func FulfilData(id uint64, requester common.Address, envelope []byte) []byte {
	return dsABI.PackFulfil(new(big.Int).SetUint64(id), requester, envelope)
}

// GrantAccessData is the calldata of grantAccess(id, grantee, envelope): direct sharing of the
// current version.
func GrantAccessData(id uint64, grantee common.Address, envelope []byte) []byte {
	return dsABI.PackGrantAccess(new(big.Int).SetUint64(id), grantee, envelope)
}

// GrantManyData is the calldata of grantMany(id, grantees, envelopes): the current version to
// every account of grants in one transaction (accounts that already hold it are skipped by the
// contract). Each grantee adds to the transaction's gas (docs/gas.md has the figures), so split
// very long lists over several transactions.
func GrantManyData(id uint64, grants []Grant) ([]byte, error) {
	if len(grants) == 0 {
		return nil, ErrNoGrants
	}
	grantees := make([]common.Address, len(grants))
	envelopes := make([][]byte, len(grants))
	for i, g := range grants {
		grantees[i], envelopes[i] = g.Grantee, g.Envelope
	}
	return dsABI.PackGrantMany(new(big.Int).SetUint64(id), grantees, envelopes), nil
}

// DeclineData is the calldata of decline(id, requester): the request's escrow back to the
// requester's withdrawable balance, no ban.
func DeclineData(id uint64, requester common.Address) []byte {
	return dsABI.PackDecline(new(big.Int).SetUint64(id), requester)
}

// RevokeData is the calldata of revoke(id, grantee): no future versions for the account; a
// pending request of it is refunded to its withdrawable balance.
func RevokeData(id uint64, grantee common.Address) []byte {
	return dsABI.PackRevoke(new(big.Int).SetUint64(id), grantee)
}

// RequestAccessData is the calldata of requestAccess(id); send it with the dataset's price as
// Tx.Value. The sender must have registered an encryption key.
func RequestAccessData(id uint64) []byte {
	return dsABI.PackRequestAccess(new(big.Int).SetUint64(id))
}

// RefundData is the calldata of refund(id): the caller's unanswered escrow back, once
// AccessInfo.RefundableAt has passed.
func RefundData(id uint64) []byte {
	return dsABI.PackRefund(new(big.Int).SetUint64(id))
}
