package share

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ipfs/go-cid"

	"github.com/datashare/datashare/backend/index"
	"github.com/datashare/datashare/backend/seal"
)

// List returns the profile's datasets: unfinished publishes of the current account first, then
// what the chain records for every account the profile uses (the device key and any phone
// wallet it paired), newest first. It brings the local index up to date with the chain.
func (s *Service) List(ctx context.Context) ([]Dataset, error) {
	if err := s.sync(ctx); err != nil {
		return nil, err
	}
	var out []Dataset
	jobs, err := s.index.Jobs(ctx, s.Account().Hex(), index.Unfinished...)
	if err != nil {
		return nil, err
	}
	for i := len(jobs) - 1; i >= 0; i-- {
		out = append(out, s.jobDataset(jobs[i]))
	}
	accounts, err := s.accounts(ctx)
	if err != nil {
		return nil, err
	}
	var rows []index.Dataset
	for _, a := range accounts {
		r, err := s.index.Datasets(ctx, a.Hex())
		if err != nil {
			return nil, err
		}
		rows = append(rows, r...)
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].ID > rows[j].ID })
	for _, r := range rows {
		out = append(out, s.indexDataset(r))
	}
	return out, nil
}

// metaAccounts is the index key of the accounts the profile has used, comma separated.
const metaAccounts = "accounts"

// accounts returns every account the profile uses or used: the device key's, the connected
// wallet's, and any wallet paired before. A new one is remembered.
func (s *Service) accounts(ctx context.Context) ([]common.Address, error) {
	v, err := s.index.Meta(ctx, metaAccounts)
	if err != nil {
		return nil, err
	}
	var out []common.Address
	seen := map[common.Address]bool{}
	add := func(a common.Address) {
		if a != (common.Address{}) && !seen[a] {
			seen[a] = true
			out = append(out, a)
		}
	}
	add(s.pub.device)
	for _, h := range strings.Split(v, ",") {
		if common.IsHexAddress(h) {
			add(common.HexToAddress(h))
		}
	}
	n := len(out)
	add(s.Account())
	if n != len(out) || v == "" {
		hexes := make([]string, len(out))
		for i, a := range out {
			hexes[i] = a.Hex()
		}
		if err := s.index.SetMeta(ctx, metaAccounts, strings.Join(hexes, ",")); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// isMine reports whether a is one of the profile's accounts.
func (s *Service) isMine(ctx context.Context, a common.Address) bool {
	if a == s.Account() || a == s.pub.device {
		return true
	}
	accounts, _ := s.accounts(ctx)
	for _, m := range accounts {
		if m == a {
			return true
		}
	}
	return false
}

func (s *Service) indexDataset(r index.Dataset) Dataset {
	name := r.Name
	if name == "" {
		name = fmt.Sprintf("dataset %d", r.ID)
	}
	return Dataset{
		ID: r.ID, Name: name, Size: r.Size, MediaType: r.MediaType, SHA256: r.SHA256,
		MetadataCID: r.MetadataCID, PayloadCID: r.PayloadCID, Owner: r.Owner, Price: r.Price,
		Public: r.Public, Version: r.Version, Status: "published", TxHash: r.TxHash,
		TxURL: s.network.TxURL(r.TxHash), Block: r.Block, CreatedAt: r.CreatedAt,
	}
}

// Index keys of the sync position of one account: the last block read, and its hash.
func metaSynced(a common.Address) string     { return "synced_block/" + a.Hex() }
func metaSyncedHash(a common.Address) string { return "synced_hash/" + a.Hex() }

// blockHash reads the hash of block n, bounded in time; ok is false when the chain has no such
// block.
func (s *Service) blockHash(ctx context.Context, n uint64) (_ string, ok bool, _ error) {
	ctx, cancel := chainCtx(ctx)
	defer cancel()
	h, ok, err := s.chain.BlockHash(ctx, n)
	if err != nil {
		return "", false, fmt.Errorf("read the chain: %w", err)
	}
	return h.Hex(), ok, nil
}

// sync reads the Published events of every account of the profile since that account's last
// sync into the index, and the events of sharing (syncSharing); an account seen for the first time is read from the contract's
// deployment. If the chain no longer has the block a sync ended at (the local chain rolled back
// after a crash, or a reorganisation), the cache is dropped and rebuilt.
func (s *Service) sync(ctx context.Context) error {
	s.syncMu.Lock()
	defer s.syncMu.Unlock()
	head, err := s.chain.BlockNumber(ctx)
	if err != nil {
		return fmt.Errorf("read the chain: %w", err)
	}
	accounts, err := s.accounts(ctx)
	if err != nil {
		return err
	}
	from := map[common.Address]uint64{}
	rebuild := false
	current := 0 // accounts whose sync ended at head, a block the chain still has
	for _, a := range accounts {
		from[a] = s.fromBlk
		v, err := s.index.Meta(ctx, metaSynced(a))
		if err != nil {
			return err
		}
		if v == "" {
			continue
		}
		synced, perr := strconv.ParseUint(v, 10, 64)
		wantHash, err := s.index.Meta(ctx, metaSyncedHash(a))
		if err != nil {
			return err
		}
		hash, ok := "", false
		if perr == nil && synced <= head {
			if hash, ok, err = s.blockHash(ctx, synced); err != nil {
				return err
			}
		}
		if ok && hash == wantHash {
			from[a] = synced + 1
			if synced == head {
				current++
			}
		} else {
			rebuild = true
		}
	}
	if rebuild {
		if err := s.index.ClearDatasets(ctx); err != nil {
			return err
		}
		for _, a := range accounts {
			from[a] = s.fromBlk
		}
	}
	for _, owner := range accounts {
		if from[owner] > head {
			continue
		}
		evs, err := s.chain.PublishedEvents(ctx, &owner, from[owner], head)
		if err != nil {
			return fmt.Errorf("read your datasets from the chain: %w", err)
		}
		for _, e := range evs {
			if err := s.index.PutDataset(ctx, s.describe(ctx, owner, e.Value.Id.Uint64(), e.Value.Price.String(),
				e.Value.MetadataCid, e.Value.OwnerEnvelope, e.TxHash.Hex(), e.Block)); err != nil {
				return err
			}
		}
	}
	evFrom := head + 1
	for _, a := range accounts {
		evFrom = min(evFrom, from[a])
	}
	if err := s.syncSharing(ctx, accounts, evFrom, head); err != nil {
		return err
	}
	if err := s.describeMissing(ctx, accounts); err != nil {
		return err
	}
	if !rebuild && current == len(accounts) {
		return nil // nothing new on chain: the sync position stands (no write)
	}
	hash, ok, err := s.blockHash(ctx, head)
	if err != nil {
		return err
	}
	if !ok {
		return nil // the chain rolled back meanwhile: the next sync rechecks
	}
	for _, a := range accounts {
		if err := s.index.SetMeta(ctx, metaSynced(a), strconv.FormatUint(head, 10)); err != nil {
			return err
		}
		if err := s.index.SetMeta(ctx, metaSyncedHash(a), hash); err != nil {
			return err
		}
	}
	return nil
}

// describe builds the index entry of a published dataset, with its metadata from the publish
// job when this profile published it, else read from IPFS (bounded in time: a dataset whose
// metadata cannot be read now is listed without a name and described on a later sync).
func (s *Service) describe(ctx context.Context, owner common.Address, id uint64, price string, metaCID, envelope []byte, tx string, block uint64) index.Dataset {
	d := index.Dataset{ID: id, Owner: owner.Hex(), Version: 1, Price: price, Envelope: envelope, TxHash: tx, Block: block, Size: -1}
	mc, err := cid.Cast(metaCID)
	if err != nil {
		return d
	}
	d.MetadataCID = mc.String()
	if j, err := s.index.JobByMetadata(ctx, owner.Hex(), index.JobConfirmed, d.MetadataCID); err == nil {
		j.DatasetID, j.TxHash, j.Block = id, tx, block
		return s.jobIndexDataset(j, price, envelope)
	}
	ident, err := s.identity("describe")
	if err != nil {
		return d // read-only: the metadata comes from IPFS, not started either; a full open describes it
	}
	key, err := seal.OpenKey(envelope, ident)
	if err != nil {
		return d
	}
	mctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	m, err := s.readMetadata(mctx, mc, key)
	if err != nil {
		return d
	}
	d.Name, d.Description, d.Size, d.MediaType, d.SHA256, d.PayloadCID, d.Public, d.CreatedAt =
		m.Name, m.Description, m.Size, m.MediaType, m.SHA256, m.Payload, m.Public, m.Created
	return d
}

// describeMissing retries reading the metadata of listed datasets that have none yet, at most
// a few per call.
func (s *Service) describeMissing(ctx context.Context, accounts []common.Address) error {
	const maxTries = 5
	tries := 0
	for _, owner := range accounts {
		if tries == maxTries {
			return nil
		}
		rows, err := s.index.Undescribed(ctx, owner.Hex(), maxTries-tries)
		if err != nil {
			return err
		}
		for _, r := range rows {
			tries++
			mc, err := cid.Decode(r.MetadataCID)
			if err != nil {
				continue
			}
			d := s.describe(ctx, owner, r.ID, r.Price, mc.Bytes(), r.Envelope, r.TxHash, r.Block)
			d.Version = r.Version
			if d.Size >= 0 {
				if err := s.index.PutDataset(ctx, d); err != nil {
					return err
				}
			}
		}
	}
	return nil
}
