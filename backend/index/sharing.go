package index

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"
)

// Event is one contract event that concerns the user: an event of one of its datasets, or one
// that names one of its accounts.
type Event struct {
	Block       uint64
	LogIndex    uint
	TxHash      string
	Kind        string // published, updated, price, requested, granted, declined, revoked, refunded
	DatasetID   uint64
	Owner       string // checksummed address
	Account     string // the requester or grantee ("" for published, updated, price)
	Version     uint64 // published, updated, granted
	Amount      string // wei, decimal: price, escrow paid, released or refunded
	Envelope    []byte // published, updated (the owner's), granted (the grantee's)
	MetadataCID string // published, updated
	Time        time.Time
}

const eventCols = `block, log_index, tx_hash, kind, dataset_id, owner, account, version, amount, envelope, metadata_cid, time`

// PutEvents inserts events, replacing those at the same block and log index.
func (d *DB) PutEvents(ctx context.Context, evs []Event) error {
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	for _, e := range evs {
		if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO events(`+eventCols+`) VALUES(?,?,?,?,?,?,?,?,?,?,?,?)`,
			e.Block, e.LogIndex, e.TxHash, e.Kind, e.DatasetID, e.Owner, e.Account, e.Version, e.Amount, e.Envelope,
			e.MetadataCID, unix(e.Time)); err != nil {
			tx.Rollback()
			return err
		}
	}
	return tx.Commit()
}

// Events returns the cached events of a dataset, oldest first.
func (d *DB) Events(ctx context.Context, datasetID uint64) ([]Event, error) {
	return d.events(ctx, `WHERE dataset_id = ?`, datasetID)
}

// EventsOf returns the cached events that name one of the accounts as requester or grantee,
// oldest first.
func (d *DB) EventsOf(ctx context.Context, accounts []string) ([]Event, error) {
	if len(accounts) == 0 {
		return nil, nil
	}
	args := make([]any, len(accounts))
	for i, a := range accounts {
		args[i] = a
	}
	return d.events(ctx, `WHERE account IN (?`+strings.Repeat(",?", len(accounts)-1)+`)`, args...)
}

func (d *DB) events(ctx context.Context, where string, args ...any) ([]Event, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT `+eventCols+` FROM events `+where+` ORDER BY block, log_index`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Event
	for rows.Next() {
		var e Event
		var t int64
		if err := rows.Scan(&e.Block, &e.LogIndex, &e.TxHash, &e.Kind, &e.DatasetID, &e.Owner, &e.Account, &e.Version,
			&e.Amount, &e.Envelope, &e.MetadataCID, &t); err != nil {
			return nil, err
		}
		e.Time = fromUnix(t)
		out = append(out, e)
	}
	return out, rows.Err()
}

// Key is an account's encryption key as last read from the chain.
type Key struct {
	Account   string
	PublicKey [32]byte
	Block     uint64 // the block it was read at
}

// PutKey records an account's key.
func (d *DB) PutKey(ctx context.Context, k Key) error {
	_, err := d.db.ExecContext(ctx, `INSERT OR REPLACE INTO keys(account, public_key, block) VALUES(?,?,?)`, k.Account, k.PublicKey[:], k.Block)
	return err
}

// Key returns an account's cached key; ErrNotFound when none is cached.
func (d *DB) Key(ctx context.Context, account string) (Key, error) {
	k := Key{Account: account}
	var pub []byte
	err := d.db.QueryRowContext(ctx, `SELECT public_key, block FROM keys WHERE account = ?`, account).Scan(&pub, &k.Block)
	if errors.Is(err, sql.ErrNoRows) {
		return k, ErrNotFound
	}
	if err != nil {
		return k, err
	}
	copy(k.PublicKey[:], pub)
	return k, nil
}

// Grant is a dataset another account granted to one of the user's accounts: the newest
// version it holds, with that version's metadata once read.
type Grant struct {
	DatasetID   uint64
	Account     string // the user's account that holds it
	Owner       string
	Version     uint64
	Envelope    []byte // the dataset key of Version, sealed to the user's encryption key
	MetadataCID string
	TxHash      string
	Block       uint64
	// From the metadata document; Size is -1 until read.
	Name        string
	Description string
	Size        int64
	MediaType   string
	SHA256      string
	PayloadCID  string
	Public      bool
	CreatedAt   time.Time
}

const grantCols = `dataset_id, account, owner, version, envelope, metadata_cid, tx_hash, block, name, description, size, media_type, sha256, payload_cid, public, created_at`

// PutGrant inserts or replaces a grant.
func (d *DB) PutGrant(ctx context.Context, g Grant) error {
	_, err := d.db.ExecContext(ctx, `INSERT OR REPLACE INTO grants(`+grantCols+`) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
		g.DatasetID, g.Account, g.Owner, g.Version, g.Envelope, g.MetadataCID, g.TxHash, g.Block,
		g.Name, g.Description, g.Size, g.MediaType, g.SHA256, g.PayloadCID, g.Public, unix(g.CreatedAt))
	return err
}

// Grants returns the grants held by the accounts, newest dataset first.
func (d *DB) Grants(ctx context.Context, accounts []string) ([]Grant, error) {
	if len(accounts) == 0 {
		return nil, nil
	}
	args := make([]any, len(accounts))
	for i, a := range accounts {
		args[i] = a
	}
	rows, err := d.db.QueryContext(ctx, `SELECT `+grantCols+` FROM grants WHERE account IN (?`+strings.Repeat(",?", len(accounts)-1)+`) ORDER BY dataset_id DESC, account`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Grant
	for rows.Next() {
		var g Grant
		var created int64
		if err := rows.Scan(&g.DatasetID, &g.Account, &g.Owner, &g.Version, &g.Envelope, &g.MetadataCID, &g.TxHash, &g.Block,
			&g.Name, &g.Description, &g.Size, &g.MediaType, &g.SHA256, &g.PayloadCID, &g.Public, &created); err != nil {
			return nil, err
		}
		g.CreatedAt = fromUnix(created)
		out = append(out, g)
	}
	return out, rows.Err()
}
