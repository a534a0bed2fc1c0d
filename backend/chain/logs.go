package chain

import (
	"context"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/datashare/datashare/contracts"
)

// DatasetEvents names the contract events that concern one dataset. Each has the dataset id as
// its first indexed argument and the owner as its second; the third, when there is one, is the
// other account (requester or grantee). Names the deployed contract's ABI does not know are
// skipped by Logs.
var DatasetEvents = []string{"Published", "Updated", "PriceChanged", "AccessRequested", "AccessGranted", "Declined", "AccessRevoked", "Refunded"}

// LogFilter selects contract logs: events by name (nil: every DatasetEvents event), and
// per indexed argument position the values to match (nil: any).
type LogFilter struct {
	Events []string
	IDs    []uint64         // first indexed argument: the dataset id
	Owners []common.Address // second indexed argument: the owner
	Others []common.Address // third: requester or grantee
}

// Logs returns the contract's logs matching f in blocks [from, to], oldest first, in ranges of
// at most MaxLogRange blocks. Removed logs are skipped. Decode them with the contract's
// Unpack…Event methods.
func (c *Client) Logs(ctx context.Context, f LogFilter, from, to uint64) ([]types.Log, error) {
	names := f.Events
	if names == nil {
		names = DatasetEvents
	}
	var sigs []common.Hash
	for _, n := range names {
		if ev, ok := c.abi.GetABI().Events[n]; ok {
			sigs = append(sigs, ev.ID)
		}
	}
	if len(sigs) == 0 {
		return nil, nil
	}
	topics := [][]common.Hash{sigs, nil, nil, nil}
	for _, id := range f.IDs {
		topics[1] = append(topics[1], idTopic(&id)[0])
	}
	for _, a := range f.Owners {
		topics[2] = append(topics[2], addrTopic(&a)[0])
	}
	for _, a := range f.Others {
		topics[3] = append(topics[3], addrTopic(&a)[0])
	}
	for len(topics) > 1 && topics[len(topics)-1] == nil {
		topics = topics[:len(topics)-1]
	}
	evs, err := filterEvents(ctx, c, from, to, topics, func(l *types.Log) (*types.Log, error) { return l, nil })
	if err != nil {
		return nil, err
	}
	out := make([]types.Log, len(evs))
	for i, e := range evs {
		out[i] = *e.Value
	}
	return out, nil
}

// KeyEvents returns the KeyRegistered events of an account in blocks [from, to], oldest first.
func (c *Client) KeyEvents(ctx context.Context, account common.Address, from, to uint64) ([]Event[contracts.DataShareKeyRegistered], error) {
	return filterEvents(ctx, c, from, to, c.topics("KeyRegistered", addrTopic(&account)), c.abi.UnpackKeyRegisteredEvent)
}

// BlockTime is the timestamp of block n.
func (c *Client) BlockTime(ctx context.Context, n uint64) (time.Time, error) {
	cctx, cancel := c.callCtx(ctx)
	defer cancel()
	h, err := c.eth.HeaderByNumber(cctx, new(big.Int).SetUint64(n))
	if err != nil {
		return time.Time{}, c.netErr(ctx, "block header", err)
	}
	return time.Unix(int64(h.Time), 0), nil
}
