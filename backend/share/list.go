package share

import (
	"context"
	"fmt"
	"math/big"
	"strconv"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ipfs/go-cid"

	"github.com/datashare/datashare/backend/index"
	"github.com/datashare/datashare/backend/seal"
)

// List returns the account's datasets: unfinished publishes first, then what the chain records,
// newest first. It brings the local index up to date with the chain.
func (s *Service) List(ctx context.Context) ([]Dataset, error) {
	if err := s.sync(ctx); err != nil {
		return nil, err
	}
	owner := s.Account().Hex()
	var out []Dataset
	jobs, err := s.index.Jobs(ctx, owner, index.Unfinished...)
	if err != nil {
		return nil, err
	}
	for i := len(jobs) - 1; i >= 0; i-- {
		out = append(out, s.jobDataset(jobs[i]))
	}
	rows, err := s.index.Datasets(ctx, owner)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		out = append(out, s.indexDataset(r))
	}
	return out, nil
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

// Index keys of the sync position.
const (
	metaSynced     = "synced_block"
	metaSyncedHash = "synced_hash"
)

// sync reads the account's Published events since the last sync into the index. If the chain no
// longer has the block the last sync ended at (the local chain rolled back after a crash, or a
// reorganisation), the cache is dropped and rebuilt.
func (s *Service) sync(ctx context.Context) error {
	s.syncMu.Lock()
	defer s.syncMu.Unlock()
	head, err := s.chain.BlockNumber(ctx)
	if err != nil {
		return fmt.Errorf("read the chain: %w", err)
	}
	from := s.fromBlk
	if v, err := s.index.Meta(ctx, metaSynced); err != nil {
		return err
	} else if v != "" {
		synced, _ := strconv.ParseUint(v, 10, 64)
		wantHash, _ := s.index.Meta(ctx, metaSyncedHash)
		h, herr := s.chain.Eth().HeaderByNumber(ctx, new(big.Int).SetUint64(synced))
		if synced <= head && herr == nil && h.Hash().Hex() == wantHash {
			from = synced + 1
		} else if err := s.index.ClearDatasets(ctx); err != nil {
			return err
		}
	}
	if from <= head {
		owner := s.Account()
		evs, err := s.chain.PublishedEvents(ctx, &owner, from, head)
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
	if err := s.describeMissing(ctx); err != nil {
		return err
	}
	h, err := s.chain.Eth().HeaderByNumber(ctx, new(big.Int).SetUint64(head))
	if err != nil {
		return err
	}
	if err := s.index.SetMeta(ctx, metaSynced, strconv.FormatUint(head, 10)); err != nil {
		return err
	}
	return s.index.SetMeta(ctx, metaSyncedHash, h.Hash().Hex())
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
	jobs, _ := s.index.Jobs(ctx, owner.Hex(), index.JobConfirmed)
	for _, j := range jobs {
		if j.MetadataCID == d.MetadataCID {
			j.DatasetID, j.TxHash, j.Block = id, tx, block
			return s.jobIndexDataset(j, price, envelope)
		}
	}
	key, err := seal.OpenKey(envelope, s.keys.Identity())
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

// describeMissing retries reading the metadata of listed datasets that have none yet.
func (s *Service) describeMissing(ctx context.Context) error {
	owner := s.Account()
	rows, err := s.index.Datasets(ctx, owner.Hex())
	if err != nil {
		return err
	}
	tries := 0
	for _, r := range rows {
		if r.Size >= 0 || tries == 5 {
			continue
		}
		tries++
		mc, err := cid.Decode(r.MetadataCID)
		if err != nil {
			continue
		}
		d := s.describe(ctx, owner, r.ID, r.Price, mc.Bytes(), r.Envelope, r.TxHash, r.Block)
		if d.Size >= 0 {
			if err := s.index.PutDataset(ctx, d); err != nil {
				return err
			}
		}
	}
	return nil
}
