package index

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Paid access, the owner's side: the journal of answers to access requests (fulfils) and the
// owner's policy per dataset (policies). The journal is not a cache: it records each answer's
// signed transaction before it is sent, so that an answer interrupted between sending and its
// receipt is followed on the next start instead of being signed a second time.

// fulfilMigration creates the tables of paid access (schema 5).
var fulfilMigration = []string{
	`CREATE TABLE fulfils (
	dataset_id INTEGER NOT NULL,
	requester  TEXT NOT NULL,
	request_tx TEXT NOT NULL,
	amount     TEXT NOT NULL DEFAULT '0',
	state      TEXT NOT NULL,
	tx_hash    TEXT NOT NULL DEFAULT '',
	raw_tx     BLOB,
	sender     TEXT NOT NULL DEFAULT '',
	block      INTEGER NOT NULL DEFAULT 0,
	gas_used   INTEGER NOT NULL DEFAULT 0,
	error      TEXT NOT NULL DEFAULT '',
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	PRIMARY KEY (dataset_id, requester, request_tx)
)`,
	`CREATE INDEX fulfils_state ON fulfils(state)`,
	`CREATE TABLE policies (
	dataset_id INTEGER PRIMARY KEY,
	mode       TEXT NOT NULL,
	allow      TEXT NOT NULL DEFAULT '',
	updated_at INTEGER NOT NULL
)`,
}

// FulfilState is how far the answer to one request got.
type FulfilState string

const (
	FulfilSigned    FulfilState = "signed"    // the fulfil transaction is signed and journaled (maybe sent)
	FulfilConfirmed FulfilState = "confirmed" // mined: the requester holds the key
	FulfilGone      FulfilState = "gone"      // the request was refunded, declined or answered otherwise: nothing to send
)

// Fulfil is the journal entry of the answer to one access request. A request is named by its
// dataset, its requester and the transaction of its AccessRequested event (the same account may
// ask again after a refund or a decline: that is another request).
type Fulfil struct {
	DatasetID uint64
	Requester string // checksummed address
	RequestTx string // hash of the requestAccess transaction
	Amount    string // wei held in escrow, decimal
	State     FulfilState
	TxHash    string // the fulfil transaction (the last signing)
	RawTx     []byte // its signed bytes (public once sent)
	Sender    string // the key that signed it: the account, or its operator
	Block     uint64 // where it was mined
	GasUsed   uint64
	Error     string // why the last attempt stopped; for FulfilGone, why nothing was sent
	CreatedAt time.Time
	UpdatedAt time.Time
}

const fulfilCols = `dataset_id, requester, request_tx, amount, state, tx_hash, raw_tx, sender, block, gas_used, error, created_at, updated_at`

// PutFulfil inserts or replaces a journal entry; UpdatedAt is set to now. It returns once the
// entry is on disk.
func (d *DB) PutFulfil(ctx context.Context, f *Fulfil) error {
	now := time.Now()
	if f.CreatedAt.IsZero() {
		f.CreatedAt = now
	}
	f.UpdatedAt = now
	_, err := d.db.ExecContext(ctx, `INSERT OR REPLACE INTO fulfils(`+fulfilCols+`) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)`,
		f.DatasetID, f.Requester, f.RequestTx, f.Amount, string(f.State), f.TxHash, f.RawTx, f.Sender, f.Block, f.GasUsed, f.Error,
		unix(f.CreatedAt), unix(f.UpdatedAt))
	return err
}

// FulfilOf returns the journal entry of one request; ErrNotFound when nothing was recorded.
func (d *DB) FulfilOf(ctx context.Context, datasetID uint64, requester, requestTx string) (*Fulfil, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT `+fulfilCols+` FROM fulfils WHERE dataset_id = ? AND requester = ? AND request_tx = ?`, datasetID, requester, requestTx)
	if err != nil {
		return nil, err
	}
	all, err := scanFulfils(rows)
	if err != nil {
		return nil, err
	}
	if len(all) == 0 {
		return nil, fmt.Errorf("answer to the request of %s for dataset %d: %w", requester, datasetID, ErrNotFound)
	}
	return all[0], nil
}

// Fulfils returns the journal entries in the given states (all when none given), oldest first.
func (d *DB) Fulfils(ctx context.Context, states ...FulfilState) ([]*Fulfil, error) {
	q := `SELECT ` + fulfilCols + ` FROM fulfils`
	var args []any
	if len(states) > 0 {
		q += ` WHERE state IN (?` + strings.Repeat(",?", len(states)-1) + `)`
		for _, s := range states {
			args = append(args, string(s))
		}
	}
	rows, err := d.db.QueryContext(ctx, q+` ORDER BY created_at, dataset_id, requester`, args...)
	if err != nil {
		return nil, err
	}
	return scanFulfils(rows)
}

func scanFulfils(rows *sql.Rows) ([]*Fulfil, error) {
	defer rows.Close()
	var out []*Fulfil
	for rows.Next() {
		f := &Fulfil{}
		var state string
		var created, updated int64
		if err := rows.Scan(&f.DatasetID, &f.Requester, &f.RequestTx, &f.Amount, &state, &f.TxHash, &f.RawTx, &f.Sender,
			&f.Block, &f.GasUsed, &f.Error, &created, &updated); err != nil {
			return nil, err
		}
		f.State = FulfilState(state)
		f.CreatedAt, f.UpdatedAt = fromUnix(created), fromUnix(updated)
		out = append(out, f)
	}
	return out, rows.Err()
}

// Answer policies of a dataset: who gets an automatic answer to a request.
const (
	PolicyDefault = ""       // paid requests automatically, free ones by hand
	PolicyAuto    = "auto"   // every request automatically
	PolicyAllow   = "allow"  // requests of the listed accounts automatically (and paid ones)
	PolicyManual  = "manual" // every request by hand (datashare grant / decline)
)

// Policy is the owner's choice for one dataset.
type Policy struct {
	DatasetID uint64
	Mode      string   // PolicyDefault, PolicyAuto, PolicyAllow or PolicyManual
	Allow     []string // checksummed addresses, for PolicyAllow
	UpdatedAt time.Time
}

// PutPolicy stores a dataset's policy; PolicyDefault removes it.
func (d *DB) PutPolicy(ctx context.Context, p Policy) error {
	if p.Mode == PolicyDefault {
		_, err := d.db.ExecContext(ctx, `DELETE FROM policies WHERE dataset_id = ?`, p.DatasetID)
		return err
	}
	_, err := d.db.ExecContext(ctx, `INSERT OR REPLACE INTO policies(dataset_id, mode, allow, updated_at) VALUES(?,?,?,?)`,
		p.DatasetID, p.Mode, strings.Join(p.Allow, ","), unix(time.Now()))
	return err
}

// PolicyOf returns a dataset's policy (Mode PolicyDefault when none was set).
func (d *DB) PolicyOf(ctx context.Context, datasetID uint64) (Policy, error) {
	p := Policy{DatasetID: datasetID}
	var allow string
	var updated int64
	err := d.db.QueryRowContext(ctx, `SELECT mode, allow, updated_at FROM policies WHERE dataset_id = ?`, datasetID).Scan(&p.Mode, &allow, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return p, nil
	}
	if err != nil {
		return p, err
	}
	if allow != "" {
		p.Allow = strings.Split(allow, ",")
	}
	p.UpdatedAt = fromUnix(updated)
	return p, nil
}
