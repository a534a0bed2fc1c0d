package chain

import (
	"context"
	"math"
	"math/big"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
)

// Access states of an account for a dataset, as the contract numbers them (AccessInfo.State).
const (
	AccessNone      uint8 = iota // never granted, and no pending request
	AccessRequested              // paid into escrow, waiting for an answer; may hold an older version (AccessInfo.Version)
	AccessGranted                // holds the key of AccessInfo.Version
	AccessRevoked                // gets no future versions; keeps AccessInfo.Version
)

// DatasetInfo is what the contract stores about a dataset.
type DatasetInfo struct {
	Owner   common.Address
	Price   *big.Int // wei
	Version uint64   // 1 for a dataset never updated
}

// AccessInfo is an account's access to a dataset.
type AccessInfo struct {
	State        uint8    // AccessNone, AccessRequested, AccessGranted or AccessRevoked
	Version      uint64   // the version whose key the account holds (0 if none), in every state
	Escrow       *big.Int // wei held for a pending request
	RequestedAt  uint64   // unix time of the pending request (0 if none)
	RefundableAt uint64   // unix time from which the requester may refund (0 if no pending request)
}

// Holds reports whether the account holds the key of version (the dataset's current version, for
// "has access now"): granted, revoked after the grant, or waiting for a newer one.
func (a AccessInfo) Holds(version uint64) bool { return version != 0 && a.Version == version }

// Pending reports whether the account has a request waiting for an answer.
func (a AccessInfo) Pending() bool { return a.State == AccessRequested }

// call runs a view call on the contract at the latest block; a revert gives *RevertError.
func (c *Client) call(ctx context.Context, data []byte) ([]byte, error) {
	cctx, cancel := c.callCtx(ctx)
	defer cancel()
	out, err := c.eth.CallContract(cctx, ethereum.CallMsg{To: &c.contract, Data: data}, nil)
	if err != nil {
		if re := revertFrom(err); re != nil {
			return nil, re
		}
		return nil, c.netErr(ctx, "contract call", err)
	}
	return out, nil
}

// Dataset returns owner, price and version of a dataset. An unknown id gives a *RevertError
// matching ErrNotFound.
func (c *Client) Dataset(ctx context.Context, id uint64) (DatasetInfo, error) {
	out, err := c.call(ctx, c.abi.PackDatasetOf(new(big.Int).SetUint64(id)))
	if err != nil {
		return DatasetInfo{}, err
	}
	v, err := c.abi.UnpackDatasetOf(out)
	if err != nil {
		return DatasetInfo{}, err
	}
	return DatasetInfo{Owner: v.Owner, Price: v.Price, Version: v.Version}, nil
}

// DatasetCount is the number of datasets ever published; ids run from 1 to it.
func (c *Client) DatasetCount(ctx context.Context) (uint64, error) {
	out, err := c.call(ctx, c.abi.PackDatasetCount())
	if err != nil {
		return 0, err
	}
	n, err := c.abi.UnpackDatasetCount(out)
	if err != nil {
		return 0, err
	}
	return n.Uint64(), nil
}

// EncryptionKey is the X25519 public key the account registered (all zeros if none). The contract
// refuses a request from an account without one.
func (c *Client) EncryptionKey(ctx context.Context, a common.Address) ([32]byte, error) {
	out, err := c.call(ctx, c.abi.PackEncryptionKey(a))
	if err != nil {
		return [32]byte{}, err
	}
	return c.abi.UnpackEncryptionKey(out)
}

// Access is the account's access to a dataset (AccessNone for an unknown dataset).
func (c *Client) Access(ctx context.Context, id uint64, a common.Address) (AccessInfo, error) {
	out, err := c.call(ctx, c.abi.PackAccessOf(new(big.Int).SetUint64(id), a))
	if err != nil {
		return AccessInfo{}, err
	}
	v, err := c.abi.UnpackAccessOf(out)
	if err != nil {
		return AccessInfo{}, err
	}
	refundableAt := uint64(math.MaxUint64) // a timeout beyond 2^64 seconds: never, in practice
	if v.RefundableAt.IsUint64() {
		refundableAt = v.RefundableAt.Uint64()
	}
	return AccessInfo{State: v.State, Version: v.Version, Escrow: v.Escrow, RequestedAt: v.RequestedAt, RefundableAt: refundableAt}, nil
}

// IsOperator reports whether device may answer requests, grant and revoke for account.
func (c *Client) IsOperator(ctx context.Context, account, device common.Address) (bool, error) {
	out, err := c.call(ctx, c.abi.PackIsOperator(account, device))
	if err != nil {
		return false, err
	}
	return c.abi.UnpackIsOperator(out)
}

// Withdrawable is the wei the account can take out with withdraw().
func (c *Client) Withdrawable(ctx context.Context, a common.Address) (*big.Int, error) {
	out, err := c.call(ctx, c.abi.PackWithdrawable(a))
	if err != nil {
		return nil, err
	}
	return c.abi.UnpackWithdrawable(out)
}

// RefundTimeout is how long after a request the requester may take the escrow back, in seconds.
func (c *Client) RefundTimeout(ctx context.Context) (uint64, error) {
	out, err := c.call(ctx, c.abi.PackRefundTimeout())
	if err != nil {
		return 0, err
	}
	v, err := c.abi.UnpackRefundTimeout(out)
	if err != nil {
		return 0, err
	}
	return v.Uint64(), nil
}
