package chain

import (
	"context"
	"errors"
	"math/big"
	"strings"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/datashare/datashare/contracts"
)

// Event is a decoded contract event with where it happened.
type Event[T any] struct {
	Value     *T
	Block     uint64
	BlockHash common.Hash
	TxHash    common.Hash
	LogIndex  uint
}

// MaxLogRange is the most blocks asked for in one eth_getLogs call: public RPC providers refuse
// larger ranges. A range the node still refuses as too large is split further.
const MaxLogRange = 5000

// PublishedEvents returns the Published events in blocks [from, to], of one owner if owner is
// not nil. A to beyond the latest block means up to the latest block.
func (c *Client) PublishedEvents(ctx context.Context, owner *common.Address, from, to uint64) ([]Event[contracts.DataSharePublished], error) {
	return filterEvents(ctx, c, from, to, c.topics("Published", nil, addrTopic(owner)), c.abi.UnpackPublishedEvent)
}

// GrantedEvents returns the AccessGranted events in blocks [from, to], filtered by dataset id
// and grantee where they are not nil. Each carries the version its envelope opens, the escrow it
// released (Paid) and whether it answered a request (Fulfilled).
func (c *Client) GrantedEvents(ctx context.Context, id *uint64, grantee *common.Address, from, to uint64) ([]Event[contracts.DataShareAccessGranted], error) {
	return filterEvents(ctx, c, from, to, c.topics("AccessGranted", idTopic(id), nil, addrTopic(grantee)), c.abi.UnpackAccessGrantedEvent)
}

// UpdatedEvents returns the Updated events (new versions) in blocks [from, to], of one dataset if
// id is not nil.
func (c *Client) UpdatedEvents(ctx context.Context, id *uint64, from, to uint64) ([]Event[contracts.DataShareUpdated], error) {
	return filterEvents(ctx, c, from, to, c.topics("Updated", idTopic(id)), c.abi.UnpackUpdatedEvent)
}

// RequestedEvents returns the AccessRequested events in blocks [from, to], filtered by dataset
// owner and requester where they are not nil.
func (c *Client) RequestedEvents(ctx context.Context, owner, requester *common.Address, from, to uint64) ([]Event[contracts.DataShareAccessRequested], error) {
	return filterEvents(ctx, c, from, to, c.topics("AccessRequested", nil, addrTopic(owner), addrTopic(requester)), c.abi.UnpackAccessRequestedEvent)
}

// RevokedEvents returns the AccessRevoked events in blocks [from, to], filtered by dataset id and
// grantee where they are not nil.
func (c *Client) RevokedEvents(ctx context.Context, id *uint64, grantee *common.Address, from, to uint64) ([]Event[contracts.DataShareAccessRevoked], error) {
	return filterEvents(ctx, c, from, to, c.topics("AccessRevoked", idTopic(id), nil, addrTopic(grantee)), c.abi.UnpackAccessRevokedEvent)
}

// DeclinedEvents returns the Declined events (requests declined without a ban) in blocks
// [from, to], filtered by dataset id and requester where they are not nil.
func (c *Client) DeclinedEvents(ctx context.Context, id *uint64, requester *common.Address, from, to uint64) ([]Event[contracts.DataShareDeclined], error) {
	return filterEvents(ctx, c, from, to, c.topics("Declined", idTopic(id), nil, addrTopic(requester)), c.abi.UnpackDeclinedEvent)
}

// RefundedEvents returns the Refunded events (escrows taken back after the timeout) in blocks
// [from, to], filtered by dataset id and requester where they are not nil.
func (c *Client) RefundedEvents(ctx context.Context, id *uint64, requester *common.Address, from, to uint64) ([]Event[contracts.DataShareRefunded], error) {
	return filterEvents(ctx, c, from, to, c.topics("Refunded", idTopic(id), nil, addrTopic(requester)), c.abi.UnpackRefundedEvent)
}

// topics builds a log filter: the event's signature, then one entry per indexed argument (nil
// matches anything). Trailing nils are dropped.
func (c *Client) topics(event string, indexed ...[]common.Hash) [][]common.Hash {
	t := [][]common.Hash{{c.abi.GetABI().Events[event].ID}}
	t = append(t, indexed...)
	for len(t) > 1 && t[len(t)-1] == nil {
		t = t[:len(t)-1]
	}
	return t
}

func idTopic(id *uint64) []common.Hash {
	if id == nil {
		return nil
	}
	return []common.Hash{common.BigToHash(new(big.Int).SetUint64(*id))}
}

func addrTopic(a *common.Address) []common.Hash {
	if a == nil {
		return nil
	}
	return []common.Hash{common.BytesToHash(a.Bytes())}
}

// filterEvents runs eth_getLogs over [from, to] in ranges of at most MaxLogRange blocks and
// decodes the logs. Logs removed by a reorg are skipped.
func filterEvents[T any](ctx context.Context, c *Client, from, to uint64, topics [][]common.Hash, unpack func(*types.Log) (*T, error)) ([]Event[T], error) {
	head, err := c.BlockNumber(ctx)
	if err != nil {
		return nil, err
	}
	to = min(to, head)
	var out []Event[T]
	step := c.logRange
	for start := from; start <= to; {
		end := min(to, start+step-1)
		logs, err := c.logs(ctx, start, end, topics)
		if err != nil {
			if isRangeErr(err) && step > 1 {
				step /= 2
				continue
			}
			return nil, err
		}
		for i := range logs {
			l := &logs[i]
			if l.Removed {
				continue
			}
			v, err := unpack(l)
			if err != nil {
				return nil, err
			}
			out = append(out, Event[T]{Value: v, Block: l.BlockNumber, BlockHash: l.BlockHash, TxHash: l.TxHash, LogIndex: l.Index})
		}
		if end == to {
			break
		}
		start = end + 1
	}
	return out, nil
}

func (c *Client) logs(ctx context.Context, from, to uint64, topics [][]common.Hash) ([]types.Log, error) {
	cctx, cancel := c.callCtx(ctx)
	defer cancel()
	logs, err := c.eth.FilterLogs(cctx, ethereum.FilterQuery{
		FromBlock: new(big.Int).SetUint64(from),
		ToBlock:   new(big.Int).SetUint64(to),
		Addresses: []common.Address{c.contract},
		Topics:    topics,
	})
	if err != nil {
		return nil, c.netErr(ctx, "eth_getLogs", err)
	}
	return logs, nil
}

// isRangeErr recognises providers' "range too large" / "too many results" answers.
func isRangeErr(err error) bool {
	if errors.Is(err, ErrUnavailable) {
		return false
	}
	s := strings.ToLower(err.Error())
	for _, w := range []string{"range", "too many", "more than", "limit exceeded", "response size", "413"} {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}
