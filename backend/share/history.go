package share

import (
	"context"
	"fmt"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ipfs/go-cid"

	"github.com/datashare/datashare/backend/chain"
	"github.com/datashare/datashare/backend/index"
)

// Event is one thing that happened to a dataset on chain.
type Event struct {
	Kind    string    `json:"kind"` // published, updated, price, requested, granted, declined, revoked, refunded
	Dataset uint64    `json:"dataset"`
	Version uint64    `json:"version,omitempty"` // published, updated, granted: the version concerned
	Owner   string    `json:"owner"`
	Account string    `json:"account,omitempty"` // the requester or grantee
	Link    string    `json:"link,omitempty"`    // set when Account is a share link this profile made (as in AccessGrantee)
	Amount  string    `json:"amount,omitempty"`  // wei: the price set, paid, released or refunded
	Block   uint64    `json:"block"`
	Time    time.Time `json:"time"` // the block's time
	TxHash  string    `json:"txHash"`
	TxURL   string    `json:"txUrl,omitempty"`
}

// decodeLog turns a contract log of a dataset event into an index event (Time unset); ok is
// false for a log that is none.
func decodeLog(l *types.Log) (e index.Event, ok bool) {
	e = index.Event{Block: l.BlockNumber, LogIndex: l.Index, TxHash: l.TxHash.Hex()}
	set := func(kind string, id interface{ Uint64() uint64 }, owner, account common.Address) {
		e.Kind, e.DatasetID, e.Owner = kind, id.Uint64(), owner.Hex()
		if account != (common.Address{}) {
			e.Account = account.Hex()
		}
		ok = true
	}
	if ev, err := ds.UnpackPublishedEvent(l); err == nil {
		set("published", ev.Id, ev.Owner, common.Address{})
		e.Version, e.Amount, e.Envelope = 1, ev.Price.String(), ev.OwnerEnvelope
		if c, err := cid.Cast(ev.MetadataCid); err == nil {
			e.MetadataCID = c.String()
		}
	} else if ev, err := ds.UnpackUpdatedEvent(l); err == nil {
		set("updated", ev.Id, ev.Owner, common.Address{})
		e.Version, e.Envelope = ev.Version, ev.OwnerEnvelope
		if c, err := cid.Cast(ev.MetadataCid); err == nil {
			e.MetadataCID = c.String()
		}
	} else if ev, err := ds.UnpackPriceChangedEvent(l); err == nil {
		set("price", ev.Id, ev.Owner, common.Address{})
		e.Amount = ev.Price.String()
	} else if ev, err := ds.UnpackAccessRequestedEvent(l); err == nil {
		set("requested", ev.Id, ev.Owner, ev.Requester)
		e.Amount = ev.Amount.String()
	} else if ev, err := ds.UnpackAccessGrantedEvent(l); err == nil {
		set("granted", ev.Id, ev.Owner, ev.Grantee)
		e.Version, e.Amount, e.Envelope = ev.Version, ev.Paid.String(), ev.Envelope
	} else if ev, err := ds.UnpackAccessRevokedEvent(l); err == nil {
		set("revoked", ev.Id, ev.Owner, ev.Grantee)
		e.Amount = ev.Refunded.String()
	} else if ev, err := ds.UnpackRefundedEvent(l); err == nil {
		set("refunded", ev.Id, ev.Owner, ev.Requester)
		e.Amount = ev.Amount.String()
	} else if ev, err := ds.UnpackDeclinedEvent(l); err == nil {
		set("declined", ev.Id, ev.Owner, ev.Requester)
		e.Amount = ev.Refunded.String()
	}
	return e, ok
}

// History returns every event of dataset id from the chain, oldest first, with block times:
// its publication and versions, price changes, requests, grants, declines, revocations and
// refunds. Events of the user's datasets, and those naming the user's accounts, are kept in the
// index.
func (s *Service) History(ctx context.Context, id uint64) ([]Event, error) {
	info, err := s.chainDataset(ctx, id)
	if err != nil {
		return nil, err
	}
	logs, err := s.chain.Logs(ctx, chain.LogFilter{IDs: []uint64{id}}, s.fromBlk, ^uint64(0))
	if err != nil {
		return nil, fmt.Errorf("read the history of dataset %d from the chain: %w", id, err)
	}
	cached, err := s.index.Events(ctx, id)
	if err != nil {
		return nil, err
	}
	known := map[uint64]time.Time{}
	for _, e := range cached {
		if !e.Time.IsZero() {
			known[e.Block] = e.Time
		}
	}
	evs, err := s.timedEvents(ctx, logs, known)
	if err != nil {
		return nil, err
	}
	mine := s.isMine(ctx, info.Owner)
	var keep []index.Event
	out := make([]Event, 0, len(evs))
	for _, e := range evs {
		if mine || (e.Account != "" && s.isMine(ctx, common.HexToAddress(e.Account))) {
			keep = append(keep, e)
		}
		out = append(out, Event{Kind: e.Kind, Dataset: e.DatasetID, Version: e.Version, Owner: e.Owner, Account: e.Account,
			Amount: e.Amount, Block: e.Block, Time: e.Time, TxHash: e.TxHash, TxURL: s.network.TxURL(e.TxHash)})
	}
	if len(keep) > 0 {
		if err := s.index.PutEvents(ctx, keep); err != nil {
			return nil, err
		}
	}
	if err := s.markLinkEvents(ctx, id, out); err != nil {
		return nil, err
	}
	return out, nil
}

// timedEvents decodes logs and sets their block times (known ones from the map, the others read
// from the chain once per block).
func (s *Service) timedEvents(ctx context.Context, logs []types.Log, known map[uint64]time.Time) ([]index.Event, error) {
	times := s.blockTimes()
	var out []index.Event
	for i := range logs {
		e, ok := decodeLog(&logs[i])
		if !ok {
			continue
		}
		if t, ok := known[e.Block]; ok {
			e.Time = t
		} else {
			t, err := times(ctx, e.Block)
			if err != nil {
				return nil, err
			}
			e.Time = t
		}
		out = append(out, e)
	}
	return out, nil
}

// Shared returns the datasets other accounts granted to the profile's accounts, newest first:
// owner, the newest version held, and name and size when the metadata could be read with the
// granted key. It brings the local index up to date with the chain.
func (s *Service) Shared(ctx context.Context) ([]Dataset, error) {
	if err := s.sync(ctx); err != nil {
		return nil, err
	}
	accounts, err := s.accounts(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.index.Grants(ctx, hexes(accounts))
	if err != nil {
		return nil, err
	}
	out := []Dataset{}
	seen := map[uint64]bool{}
	for _, g := range rows {
		if seen[g.DatasetID] { // two accounts of the profile hold it: list it once
			continue
		}
		seen[g.DatasetID] = true
		name := g.Name
		if name == "" {
			name = fmt.Sprintf("dataset %d", g.DatasetID)
		}
		out = append(out, Dataset{
			ID: g.DatasetID, Name: name, Size: g.Size, MediaType: g.MediaType, SHA256: g.SHA256,
			MetadataCID: g.MetadataCID, PayloadCID: g.PayloadCID, Owner: g.Owner, Public: g.Public,
			Version: g.Version, Status: "shared", TxHash: g.TxHash, TxURL: s.network.TxURL(g.TxHash),
			Block: g.Block, CreatedAt: g.CreatedAt, Grantee: g.Account,
		})
	}
	return out, nil
}

func hexes(as []common.Address) []string {
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = a.Hex()
	}
	return out
}

// syncSharing reads, in blocks [from, head], the events of the accounts' datasets and the
// grants and revocations naming the accounts into the index: new versions of the user's
// datasets update their entries, grants to the user become Shared's list.
func (s *Service) syncSharing(ctx context.Context, accounts []common.Address, from, head uint64) error {
	if from > head || len(accounts) == 0 {
		return nil
	}
	own, err := s.chain.Logs(ctx, chain.LogFilter{Owners: accounts}, from, head)
	if err != nil {
		return fmt.Errorf("read the events of your datasets from the chain: %w", err)
	}
	toMe, err := s.chain.Logs(ctx, chain.LogFilter{Events: []string{"AccessGranted", "AccessRevoked"}, Others: accounts}, from, head)
	if err != nil {
		return fmt.Errorf("read what was shared with you from the chain: %w", err)
	}
	evs, err := s.timedEvents(ctx, append(own, toMe...), map[uint64]time.Time{})
	if err != nil {
		return err
	}
	if err := s.index.PutEvents(ctx, evs); err != nil {
		return err
	}
	held, err := s.index.Grants(ctx, hexes(accounts))
	if err != nil {
		return err
	}
	version := map[[2]string]uint64{}
	for _, g := range held {
		version[[2]string{fmt.Sprint(g.DatasetID), g.Account}] = g.Version
	}
	for _, e := range evs {
		switch {
		case e.Kind == "updated" && s.isMine(ctx, common.HexToAddress(e.Owner)):
			d, err := s.index.Dataset(ctx, e.DatasetID)
			if err != nil || d.Version >= e.Version {
				continue // not listed yet (its Published comes with the next sync), or known
			}
			mc, err := cid.Decode(e.MetadataCID)
			if err != nil {
				continue
			}
			n := s.describe(ctx, common.HexToAddress(e.Owner), e.DatasetID, d.Price, mc.Bytes(), e.Envelope, e.TxHash, e.Block)
			n.Version = e.Version
			if err := s.index.PutDataset(ctx, n); err != nil {
				return err
			}
		case e.Kind == "price" && s.isMine(ctx, common.HexToAddress(e.Owner)):
			if d, err := s.index.Dataset(ctx, e.DatasetID); err == nil && d.Price != e.Amount {
				d.Price = e.Amount
				if err := s.index.PutDataset(ctx, d); err != nil {
					return err
				}
			}
		case e.Kind == "granted" && s.isMine(ctx, common.HexToAddress(e.Account)):
			k := [2]string{fmt.Sprint(e.DatasetID), e.Account}
			if version[k] >= e.Version {
				continue
			}
			version[k] = e.Version
			if err := s.index.PutGrant(ctx, s.describeGrant(ctx, e)); err != nil {
				return err
			}
		}
	}
	return s.describeMissingGrants(ctx, accounts)
}

// describeGrant builds the index entry of a grant to the user, with the metadata of the granted
// version read from IPFS (bounded in time: one not readable now is described on a later sync).
func (s *Service) describeGrant(ctx context.Context, e index.Event) index.Grant {
	g := index.Grant{DatasetID: e.DatasetID, Account: e.Account, Owner: e.Owner, Version: e.Version, Envelope: e.Envelope,
		TxHash: e.TxHash, Block: e.Block, Size: -1}
	vs, err := s.versions(ctx, e.DatasetID)
	if err != nil {
		return g
	}
	v, ok := vs[e.Version]
	if !ok {
		return g
	}
	g.MetadataCID = v.MetadataCID.String()
	key, err := s.openEnvelope(e.DatasetID, e.Envelope)
	if err != nil {
		return g
	}
	mctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	m, err := s.readMetadata(mctx, v.MetadataCID, key)
	if err != nil {
		return g
	}
	g.Name, g.Description, g.Size, g.MediaType, g.SHA256, g.PayloadCID, g.Public, g.CreatedAt =
		m.Name, m.Description, m.Size, m.MediaType, m.SHA256, m.Payload, m.Public, m.Created
	return g
}

// describeMissingGrants retries reading the metadata of grants that have none yet, a few per
// call.
func (s *Service) describeMissingGrants(ctx context.Context, accounts []common.Address) error {
	rows, err := s.index.Grants(ctx, hexes(accounts))
	if err != nil {
		return err
	}
	tries := 0
	for _, g := range rows {
		if g.Size >= 0 {
			continue
		}
		if tries == 5 {
			return nil
		}
		tries++
		n := s.describeGrant(ctx, index.Event{DatasetID: g.DatasetID, Account: g.Account, Owner: g.Owner, Version: g.Version,
			Envelope: g.Envelope, TxHash: g.TxHash, Block: g.Block})
		if n.Size >= 0 {
			if err := s.index.PutGrant(ctx, n); err != nil {
				return err
			}
		}
	}
	return nil
}
