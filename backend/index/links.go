package index

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Link is a share link the profile made. The link itself (its secret) is kept only sealed to
// the owner's encryption identity; the account it was granted to is public (it is on chain).
type Link struct {
	DatasetID uint64
	Account   string // the account derived from the link, checksummed
	Label     string // the owner's name for it, may be empty
	Sealed    []byte // the link, encrypted to the owner's identity
	Version   uint64 // the version it was granted when made (0 while its grant is not confirmed)
	TxHash    string // of that grant
	CreatedAt time.Time
}

const linkCols = `dataset_id, account, label, sealed, version, tx_hash, created_at`

// PutLink records a link, replacing the one of the same dataset and account.
func (d *DB) PutLink(ctx context.Context, l Link) error {
	_, err := d.db.ExecContext(ctx, `INSERT OR REPLACE INTO links(`+linkCols+`) VALUES(?,?,?,?,?,?,?)`,
		l.DatasetID, l.Account, l.Label, l.Sealed, l.Version, l.TxHash, unix(l.CreatedAt))
	return err
}

// Links returns the links made for a dataset, oldest first.
func (d *DB) Links(ctx context.Context, datasetID uint64) ([]Link, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT `+linkCols+` FROM links WHERE dataset_id = ? ORDER BY created_at, account`, datasetID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Link
	for rows.Next() {
		l, err := scanLink(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// LinkOf returns the link of a dataset granted to account; ErrNotFound when the profile made
// none.
func (d *DB) LinkOf(ctx context.Context, datasetID uint64, account string) (Link, error) {
	l, err := scanLink(d.db.QueryRowContext(ctx, `SELECT `+linkCols+` FROM links WHERE dataset_id = ? AND account = ?`, datasetID, account))
	if errors.Is(err, sql.ErrNoRows) {
		return l, fmt.Errorf("link of dataset %d to %s: %w", datasetID, account, ErrNotFound)
	}
	return l, err
}

// DeleteLink forgets a link.
func (d *DB) DeleteLink(ctx context.Context, datasetID uint64, account string) error {
	_, err := d.db.ExecContext(ctx, `DELETE FROM links WHERE dataset_id = ? AND account = ?`, datasetID, account)
	return err
}

func scanLink(r interface{ Scan(...any) error }) (Link, error) {
	var l Link
	var created int64
	if err := r.Scan(&l.DatasetID, &l.Account, &l.Label, &l.Sealed, &l.Version, &l.TxHash, &created); err != nil {
		return Link{}, err
	}
	l.CreatedAt = fromUnix(created)
	return l, nil
}
