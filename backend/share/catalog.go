package share

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strconv"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ipfs/go-cid"

	"github.com/datashare/datashare/backend/chain"
	"github.com/datashare/datashare/backend/index"
)

// The catalog: every public dataset of every owner on the network, for buyers to find. The
// index follows the contract's Published, Updated and PriceChanged events of all owners (not
// only the profile's) and reads each version's metadata from IPFS once: a public document is
// plaintext JSON and is listed; a private one is encrypted (or not a valid document) and is
// never listed, nor is anything of it kept but that it is private.

// CatalogItem is one public dataset in the catalog.
type CatalogItem struct {
	ID          uint64    `json:"id"`
	Name        string    `json:"name"`
	Description string    `json:"description,omitempty"`
	Tags        []string  `json:"tags,omitempty"`
	Size        int64     `json:"size"`
	MediaType   string    `json:"mediaType"`
	Price       string    `json:"price"` // wei, decimal
	Owner       string    `json:"owner"`
	Version     uint64    `json:"version"` // the current version (also the number of versions)
	Mine        bool      `json:"mine"`    // one of this profile's accounts owns it
	CreatedAt   time.Time `json:"createdAt"`
}

// CatalogOptions select what Catalog lists.
type CatalogOptions struct {
	// Search keeps the datasets whose name, description or a tag contains it (ASCII letters
	// in any case).
	Search string
}

// Index keys of the catalog's sync position: the last block read and its hash.
const (
	metaCatalogSynced     = "catalog_synced_block"
	metaCatalogSyncedHash = "catalog_synced_hash"
)

// How the catalog reads metadata from IPFS on one call: a bounded wait for each document, a few
// documents, and entries not found are tried again on later calls (the fewest tries first).
var (
	catalogReadTimeout   = 3 * time.Second
	catalogReadsPerRun   = 32
	catalogParallelReads = 8
	catalogReadBudget    = 6 * time.Second
)

// Catalog lists the public datasets of every owner on the network, newest first, bringing the
// catalog up to date with the chain first. Metadata that cannot be read from IPFS now (its
// owner's computer is off) is read on a later call; until then the dataset is not listed.
func (s *Service) Catalog(ctx context.Context, opts CatalogOptions) ([]CatalogItem, error) {
	if err := s.syncCatalog(ctx); err != nil {
		return nil, err
	}
	rows, err := s.index.PublicCatalog(ctx, opts.Search)
	if err != nil {
		return nil, err
	}
	out := make([]CatalogItem, 0, len(rows))
	for _, r := range rows {
		out = append(out, CatalogItem{
			ID: r.ID, Name: r.Name, Description: r.Description, Tags: r.Tags, Size: r.Size, MediaType: r.MediaType,
			Price: r.Price, Owner: r.Owner, Version: r.Version, Mine: s.isMine(ctx, common.HexToAddress(r.Owner)), CreatedAt: r.CreatedAt,
		})
	}
	return out, nil
}

// syncCatalog reads the datasets' events since the last sync into the catalog (from the
// contract's deployment the first time, or after the chain rolled back), then reads metadata
// not read yet.
func (s *Service) syncCatalog(ctx context.Context) error {
	s.syncMu.Lock()
	defer s.syncMu.Unlock()
	head, err := s.chain.BlockNumber(ctx)
	if err != nil {
		return fmt.Errorf("read the chain: %w", err)
	}
	from := s.fromBlk
	if v, err := s.index.Meta(ctx, metaCatalogSynced); err != nil {
		return err
	} else if v != "" {
		synced, perr := strconv.ParseUint(v, 10, 64)
		want, err := s.index.Meta(ctx, metaCatalogSyncedHash)
		if err != nil {
			return err
		}
		ok, hash := false, ""
		if perr == nil && synced <= head {
			if hash, ok, err = s.blockHash(ctx, synced); err != nil {
				return err
			}
		}
		if ok && hash == want {
			from = synced + 1
		} else if err := s.index.ClearCatalog(ctx); err != nil {
			return err
		}
	}
	if from <= head {
		logs, err := s.chain.Logs(ctx, chain.LogFilter{Events: []string{"Published", "Updated", "PriceChanged"}}, from, head)
		if err != nil {
			return fmt.Errorf("read the catalog from the chain: %w", err)
		}
		if err := s.applyCatalogLogs(ctx, logs); err != nil {
			return err
		}
	}
	if hash, ok, err := s.blockHash(ctx, head); err != nil {
		return err
	} else if ok {
		if err := s.index.SetMeta(ctx, metaCatalogSynced, strconv.FormatUint(head, 10)); err != nil {
			return err
		}
		if err := s.index.SetMeta(ctx, metaCatalogSyncedHash, hash); err != nil {
			return err
		}
	}
	return s.describeCatalog(ctx)
}

// applyCatalogLogs folds Published, Updated and PriceChanged logs (oldest first) into the
// catalog's entries.
func (s *Service) applyCatalogLogs(ctx context.Context, logs []types.Log) error {
	var ids []uint64
	for i := range logs {
		if e, ok := decodeLog(&logs[i]); ok {
			ids = append(ids, e.DatasetID)
		}
	}
	known, err := s.index.CatalogByID(ctx, ids)
	if err != nil {
		return err
	}
	entries := map[uint64]*index.CatalogEntry{}
	for i := range known {
		entries[known[i].ID] = &known[i]
	}
	var changed []uint64
	for i := range logs {
		e, ok := decodeLog(&logs[i])
		if !ok {
			continue
		}
		c := entries[e.DatasetID]
		switch e.Kind {
		case "published":
			c = &index.CatalogEntry{ID: e.DatasetID, Owner: e.Owner, Version: 1, MetadataCID: e.MetadataCID, Price: e.Amount, Size: -1}
			entries[e.DatasetID] = c
		case "updated":
			if c == nil || e.Version <= c.Version {
				continue
			}
			// A new version has its own metadata, maybe with another visibility: read it again.
			*c = index.CatalogEntry{ID: c.ID, Owner: c.Owner, Version: e.Version, MetadataCID: e.MetadataCID, Price: c.Price, Size: -1}
		case "price":
			if c == nil {
				continue
			}
			c.Price = e.Amount
		default:
			continue
		}
		c.Block = e.Block
		changed = append(changed, e.DatasetID)
	}
	var put []index.CatalogEntry
	seen := map[uint64]bool{}
	for _, id := range changed {
		if !seen[id] {
			seen[id] = true
			put = append(put, *entries[id])
		}
	}
	return s.index.PutCatalog(ctx, put)
}

// describeCatalog reads the metadata of catalog entries not read yet, a few at a time, bounded
// in number and time (an owner's computer that is off costs one bounded wait per call, not one
// per dataset). The profile's own datasets are described from its index, with no IPFS read.
func (s *Service) describeCatalog(ctx context.Context) error {
	rows, err := s.index.CatalogUnread(ctx, catalogReadsPerRun)
	if err != nil || len(rows) == 0 {
		return err
	}
	bctx, cancel := context.WithTimeout(ctx, catalogReadBudget)
	defer cancel()
	readable := s.ipfs != nil && s.ipfs.Started()
	if readable {
		s.dialLocalPeers(bctx) // other profiles on this computer may hold the metadata
	}
	sem := make(chan struct{}, catalogParallelReads)
	var wg sync.WaitGroup
	for i := range rows {
		r := &rows[i]
		if d, err := s.index.Dataset(ctx, r.ID); err == nil && d.Size >= 0 && d.Version == r.Version && d.MetadataCID == r.MetadataCID {
			r.Visibility = index.VisibilityPrivate
			if d.Public {
				r.Visibility, r.Name, r.Description, r.Size, r.MediaType, r.CreatedAt = index.VisibilityPublic, d.Name, d.Description, d.Size, d.MediaType, d.CreatedAt
			}
			continue
		}
		if !readable {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case sem <- struct{}{}:
				defer func() { <-sem }()
			case <-bctx.Done():
				return
			}
			m, vis, err := s.readPublicMetadata(bctx, r.MetadataCID)
			if err != nil {
				r.Tries++
				return
			}
			r.Visibility = vis
			if vis == index.VisibilityPublic {
				r.Name, r.Description, r.Tags, r.Size, r.MediaType, r.CreatedAt = m.Name, m.Description, m.Tags, m.Size, m.MediaType, m.Created
			}
		}()
	}
	wg.Wait()
	return s.index.PutCatalog(ctx, rows)
}

// readPublicMetadata reads a metadata document from IPFS (bounded in size and time) and tells
// a public one (plaintext, valid, marked public) from anything else, which is never listed.
func (s *Service) readPublicMetadata(ctx context.Context, cidText string) (Metadata, int, error) {
	c, err := cid.Decode(cidText)
	if err != nil {
		return Metadata{}, index.VisibilityPrivate, nil
	}
	rctx, cancel := context.WithTimeout(ctx, catalogReadTimeout)
	defer cancel()
	r, size, err := s.ipfs.Open(rctx, c)
	if err != nil {
		return Metadata{}, 0, err
	}
	defer r.Close()
	if size > maxMetadataRead {
		return Metadata{}, index.VisibilityPrivate, nil
	}
	b, err := io.ReadAll(io.LimitReader(r, maxMetadataRead+1))
	if err != nil {
		return Metadata{}, 0, err
	}
	if bytes.HasPrefix(b, ageHeader) || len(b) > maxMetadataRead {
		return Metadata{}, index.VisibilityPrivate, nil
	}
	m, err := decodeMetadata(b, nil)
	if err != nil || !m.Public {
		return Metadata{}, index.VisibilityPrivate, nil
	}
	return m, index.VisibilityPublic, nil
}

// catalogName is how messages and approvals name a dataset that may be another owner's: its
// name from the profile's own index, the grants, or the public catalog, else "dataset N".
func (s *Service) catalogName(ctx context.Context, id uint64) string {
	if n := s.datasetName(ctx, id); n != fmt.Sprintf("dataset %d", id) {
		return n
	}
	if es, err := s.index.CatalogByID(ctx, []uint64{id}); err == nil && len(es) == 1 && es[0].Visibility == index.VisibilityPublic && es[0].Name != "" {
		return fmt.Sprintf("%s (dataset %d)", es[0].Name, id)
	}
	return fmt.Sprintf("dataset %d", id)
}
