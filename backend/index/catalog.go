package index

import (
	"context"
	"strings"
	"time"
)

// CatalogEntry is a dataset of any owner on the network, as the chain recorded it (Published,
// Updated, PriceChanged), with its public metadata once read from IPFS.
type CatalogEntry struct {
	ID          uint64
	Owner       string // checksummed address
	Version     uint64
	MetadataCID string // of Version
	Price       string // wei, decimal
	Block       uint64 // of the newest event read
	// Visibility is what the metadata of Version turned out to be: VisibilityUnknown until it
	// was read, then VisibilityPublic or VisibilityPrivate.
	Visibility int
	Tries      int // reads of the metadata that failed (not found in time)
	// From the public metadata document; Size is -1 until read.
	Name        string
	Description string
	Tags        []string
	Size        int64
	MediaType   string
	CreatedAt   time.Time
}

// Visibility of a catalog entry's metadata.
const (
	VisibilityUnknown = 0
	VisibilityPublic  = 1
	VisibilityPrivate = 2
)

const catalogCols = `id, owner, version, metadata_cid, price, block, visibility, tries, name, description, tags, size, media_type, created_at`

// PutCatalog inserts or replaces catalog entries in one transaction.
func (d *DB) PutCatalog(ctx context.Context, es []CatalogEntry) error {
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	for _, e := range es {
		if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO catalog(`+catalogCols+`) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
			e.ID, e.Owner, e.Version, e.MetadataCID, e.Price, e.Block, e.Visibility, e.Tries, e.Name, e.Description,
			strings.Join(e.Tags, "\n"), e.Size, e.MediaType, unix(e.CreatedAt)); err != nil {
			tx.Rollback()
			return err
		}
	}
	return tx.Commit()
}

// CatalogByID returns the entries of the given ids that are known (in no particular order).
func (d *DB) CatalogByID(ctx context.Context, ids []uint64) ([]CatalogEntry, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return d.catalog(ctx, `WHERE id IN (?`+strings.Repeat(",?", len(ids)-1)+`)`, args...)
}

// CatalogUnread returns up to limit entries whose metadata was not read yet, the fewest failed
// reads first.
func (d *DB) CatalogUnread(ctx context.Context, limit int) ([]CatalogEntry, error) {
	return d.catalog(ctx, `WHERE visibility = ? ORDER BY tries, id LIMIT ?`, VisibilityUnknown, limit)
}

// PublicCatalog returns the public entries, newest dataset first; with search set, only those
// whose name, description or tags contain it (case-insensitive for ASCII letters).
func (d *DB) PublicCatalog(ctx context.Context, search string) ([]CatalogEntry, error) {
	if search == "" {
		return d.catalog(ctx, `WHERE visibility = ? ORDER BY id DESC`, VisibilityPublic)
	}
	like := "%" + strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(search) + "%"
	return d.catalog(ctx, `WHERE visibility = ? AND (name LIKE ? ESCAPE '\' OR description LIKE ? ESCAPE '\' OR tags LIKE ? ESCAPE '\') ORDER BY id DESC`,
		VisibilityPublic, like, like, like)
}

// ClearCatalog forgets every catalog entry (the chain rolled back; a sync refills it).
func (d *DB) ClearCatalog(ctx context.Context) error {
	_, err := d.db.ExecContext(ctx, `DELETE FROM catalog`)
	return err
}

func (d *DB) catalog(ctx context.Context, where string, args ...any) ([]CatalogEntry, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT `+catalogCols+` FROM catalog `+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []CatalogEntry
	for rows.Next() {
		var e CatalogEntry
		var tags string
		var created int64
		if err := rows.Scan(&e.ID, &e.Owner, &e.Version, &e.MetadataCID, &e.Price, &e.Block, &e.Visibility, &e.Tries,
			&e.Name, &e.Description, &tags, &e.Size, &e.MediaType, &created); err != nil {
			return nil, err
		}
		if tags != "" {
			e.Tags = strings.Split(tags, "\n")
		}
		e.CreatedAt = fromUnix(created)
		out = append(out, e)
	}
	return out, rows.Err()
}
