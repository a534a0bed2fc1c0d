// Package index is DataShare's local database: a cache of what the chain says about the user's
// datasets, and a journal of unfinished jobs.
//
// The cache is rebuildable: delete the file and the next sync reads everything back from chain
// events. The journal is not: it is how a publish interrupted by a crash resumes on the next start
// with the same dataset key and without a second on-chain record. It holds the dataset key only
// sealed to the owner's encryption identity (the same envelope that goes on chain), and the signed
// transaction bytes, which are public once sent. The share links the profile made are not
// rebuildable either (links.go); they are kept only sealed to the owner's encryption identity.
// Nothing in the database is secret in plaintext.
//
// One database per network and contract (config.Paths.Index). SQLite through a pure-Go driver, in
// WAL mode with synchronous writes: a write that returned is on disk.
package index

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	_ "modernc.org/sqlite" // the "sqlite" database/sql driver, pure Go
)

// ErrNotFound is returned when a job or dataset is not in the index.
var ErrNotFound = errors.New("not in the local index")

// DB is an open index database. It is safe for concurrent use.
type DB struct {
	db *sql.DB
}

const schemaVersion = 6

// migrations bring a database of schema version i+1 to version i+2. Each adds what a version
// needs without touching what older databases hold.
var migrations = [][]string{
	// 2: the chain head when a job was created (where to look for its publish), and the hashes of
	// earlier signings of its transaction (same nonce, lower fees) that may still be mined.
	{`ALTER TABLE jobs ADD COLUMN start_block INTEGER NOT NULL DEFAULT 0`,
		`ALTER TABLE jobs ADD COLUMN earlier_txs TEXT NOT NULL DEFAULT ''`},
	// 3: sharing. Jobs of kind "update" record the version they create and the re-grant
	// transaction; the cache gains the contract events that concern the user (events), the
	// encryption keys read from the chain (keys) and the datasets others granted to the user
	// (grants).
	{`ALTER TABLE jobs ADD COLUMN version INTEGER NOT NULL DEFAULT 0`,
		`ALTER TABLE jobs ADD COLUMN grant_tx TEXT NOT NULL DEFAULT ''`,
		`ALTER TABLE jobs ADD COLUMN grant_raw BLOB`,
		`CREATE TABLE events (
	block        INTEGER NOT NULL,
	log_index    INTEGER NOT NULL,
	tx_hash      TEXT NOT NULL,
	kind         TEXT NOT NULL,
	dataset_id   INTEGER NOT NULL,
	owner        TEXT NOT NULL,
	account      TEXT NOT NULL DEFAULT '',
	version      INTEGER NOT NULL DEFAULT 0,
	amount       TEXT NOT NULL DEFAULT '',
	envelope     BLOB,
	metadata_cid TEXT NOT NULL DEFAULT '',
	time         INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (block, log_index)
)`,
		`CREATE INDEX events_dataset ON events(dataset_id)`,
		`CREATE INDEX events_account ON events(account)`,
		`CREATE TABLE keys (
	account    TEXT PRIMARY KEY,
	public_key BLOB NOT NULL,
	block      INTEGER NOT NULL DEFAULT 0
)`,
		`CREATE TABLE grants (
	dataset_id   INTEGER NOT NULL,
	account      TEXT NOT NULL,
	owner        TEXT NOT NULL,
	version      INTEGER NOT NULL,
	envelope     BLOB NOT NULL,
	metadata_cid TEXT NOT NULL,
	tx_hash      TEXT NOT NULL,
	block        INTEGER NOT NULL,
	name         TEXT NOT NULL DEFAULT '',
	description  TEXT NOT NULL DEFAULT '',
	size         INTEGER NOT NULL DEFAULT -1,
	media_type   TEXT NOT NULL DEFAULT '',
	sha256       TEXT NOT NULL DEFAULT '',
	payload_cid  TEXT NOT NULL DEFAULT '',
	public       INTEGER NOT NULL DEFAULT 0,
	created_at   INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (dataset_id, account)
)`},
	// 4: the share links this profile made (links.go): not a cache, the chain cannot rebuild them.
	{`CREATE TABLE links (
	dataset_id INTEGER NOT NULL,
	account    TEXT NOT NULL,
	label      TEXT NOT NULL DEFAULT '',
	sealed     BLOB NOT NULL,
	version    INTEGER NOT NULL DEFAULT 0,
	tx_hash    TEXT NOT NULL DEFAULT '',
	created_at INTEGER NOT NULL,
	PRIMARY KEY (dataset_id, account)
)`},
	// 5: paid access, the owner's side (fulfils.go): the journal of answers to requests and the
	// answer policy of each dataset.
	fulfilMigration,
	// 6: the catalog (catalog.go): every dataset on the network, public metadata once read.
	{`CREATE TABLE catalog (
	id           INTEGER PRIMARY KEY,
	owner        TEXT NOT NULL,
	version      INTEGER NOT NULL,
	metadata_cid TEXT NOT NULL,
	price        TEXT NOT NULL,
	block        INTEGER NOT NULL,
	visibility   INTEGER NOT NULL DEFAULT 0,
	tries        INTEGER NOT NULL DEFAULT 0,
	name         TEXT NOT NULL DEFAULT '',
	description  TEXT NOT NULL DEFAULT '',
	tags         TEXT NOT NULL DEFAULT '',
	size         INTEGER NOT NULL DEFAULT -1,
	media_type   TEXT NOT NULL DEFAULT '',
	created_at   INTEGER NOT NULL DEFAULT 0
)`, `CREATE INDEX catalog_visibility ON catalog(visibility)`},
}

var schema = []string{`
CREATE TABLE IF NOT EXISTS meta (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
)`, `
CREATE TABLE IF NOT EXISTS datasets (
	id           INTEGER PRIMARY KEY,
	owner        TEXT NOT NULL,
	version      INTEGER NOT NULL,
	metadata_cid TEXT NOT NULL,
	price        TEXT NOT NULL,
	envelope     BLOB NOT NULL,
	tx_hash      TEXT NOT NULL,
	block        INTEGER NOT NULL,
	name         TEXT NOT NULL DEFAULT '',
	description  TEXT NOT NULL DEFAULT '',
	size         INTEGER NOT NULL DEFAULT -1,
	media_type   TEXT NOT NULL DEFAULT '',
	sha256       TEXT NOT NULL DEFAULT '',
	payload_cid  TEXT NOT NULL DEFAULT '',
	public       INTEGER NOT NULL DEFAULT 0,
	created_at   INTEGER NOT NULL DEFAULT 0
)`,
	`CREATE INDEX IF NOT EXISTS datasets_owner ON datasets(owner)`, `
CREATE TABLE IF NOT EXISTS jobs (
	id           TEXT PRIMARY KEY,
	kind         TEXT NOT NULL,
	stage        TEXT NOT NULL,
	path         TEXT NOT NULL,
	mtime        INTEGER NOT NULL DEFAULT 0,
	name         TEXT NOT NULL,
	description  TEXT NOT NULL,
	price        TEXT NOT NULL,
	public       INTEGER NOT NULL,
	media_type   TEXT NOT NULL,
	owner        TEXT NOT NULL,
	key_envelope BLOB NOT NULL,
	payload_cid  TEXT NOT NULL DEFAULT '',
	size         INTEGER NOT NULL DEFAULT -1,
	sha256       TEXT NOT NULL DEFAULT '',
	metadata_cid TEXT NOT NULL DEFAULT '',
	tx_hash      TEXT NOT NULL DEFAULT '',
	raw_tx       BLOB,
	dataset_id   INTEGER NOT NULL DEFAULT 0,
	block        INTEGER NOT NULL DEFAULT 0,
	error        TEXT NOT NULL DEFAULT '',
	created_at   INTEGER NOT NULL,
	updated_at   INTEGER NOT NULL
)`,
	// Lookups by stage (the unfinished jobs among many finished ones) and by metadata CID (a
	// Published event's job). Indexes only: no schema version of their own, and an older app that
	// opens the file keeps working.
	`CREATE INDEX IF NOT EXISTS jobs_stage ON jobs(stage)`,
	`CREATE INDEX IF NOT EXISTS jobs_metadata ON jobs(metadata_cid)`,
}

// Open opens (creating if needed) the index database at path.
func Open(path string) (*DB, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("create index directory: %w", err)
	}
	dsn := "file:" + path + "?_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open index %s: %w", path, err)
	}
	d := &DB{db: db}
	if err := d.migrate(); err != nil {
		db.Close()
		return nil, fmt.Errorf("open index %s: %w", path, err)
	}
	return d, nil
}

func (d *DB) migrate() error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for _, s := range schema {
		if _, err := d.db.ExecContext(ctx, s); err != nil {
			return err
		}
	}
	v, err := d.Meta(ctx, "schema")
	if err != nil {
		return err
	}
	if v == "" { // a new database: the base schema is version 1
		v = "1"
	}
	have, err := strconv.Atoi(v)
	if err != nil || have < 1 {
		return fmt.Errorf("index schema version %q is not one this app knows: move the index file away (it is rebuilt from the chain, except unfinished publishes)", v)
	}
	if have > schemaVersion {
		return fmt.Errorf("index schema version %d is newer than this app understands (%d): update DataShare", have, schemaVersion)
	}
	for ; have < schemaVersion; have++ {
		tx, err := d.db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		for _, m := range migrations[have-1] {
			if _, err := tx.ExecContext(ctx, m); err != nil {
				tx.Rollback()
				return fmt.Errorf("upgrade the index to version %d: %w", have+1, err)
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO meta(key, value) VALUES('schema', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`, fmt.Sprint(have+1)); err != nil {
			tx.Rollback()
			return err
		}
		if err := tx.Commit(); err != nil {
			return err
		}
	}
	return d.SetMeta(ctx, "schema", fmt.Sprint(schemaVersion))
}

// Close closes the database.
func (d *DB) Close() error { return d.db.Close() }

// Meta returns a stored value ("" when unset).
func (d *DB) Meta(ctx context.Context, key string) (string, error) {
	var v string
	err := d.db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, err
}

// SetMeta stores a value.
func (d *DB) SetMeta(ctx context.Context, key, value string) error {
	_, err := d.db.ExecContext(ctx, `INSERT INTO meta(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`, key, value)
	return err
}

// Dataset is a dataset as the chain recorded it, plus what its metadata says once read.
type Dataset struct {
	ID          uint64
	Owner       string // checksummed address
	Version     uint64
	MetadataCID string
	Price       string // wei, decimal
	Envelope    []byte // the owner's key envelope (sealed; public on chain)
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

const datasetCols = `id, owner, version, metadata_cid, price, envelope, tx_hash, block, name, description, size, media_type, sha256, payload_cid, public, created_at`

// PutDataset inserts or replaces a dataset.
func (d *DB) PutDataset(ctx context.Context, x Dataset) error {
	_, err := d.db.ExecContext(ctx, `INSERT OR REPLACE INTO datasets(`+datasetCols+`) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
		x.ID, x.Owner, x.Version, x.MetadataCID, x.Price, x.Envelope, x.TxHash, x.Block,
		x.Name, x.Description, x.Size, x.MediaType, x.SHA256, x.PayloadCID, x.Public, unix(x.CreatedAt))
	return err
}

// Dataset returns one dataset.
func (d *DB) Dataset(ctx context.Context, id uint64) (Dataset, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT `+datasetCols+` FROM datasets WHERE id = ?`, id)
	if err != nil {
		return Dataset{}, err
	}
	all, err := scanDatasets(rows)
	if err != nil {
		return Dataset{}, err
	}
	if len(all) == 0 {
		return Dataset{}, fmt.Errorf("dataset %d: %w", id, ErrNotFound)
	}
	return all[0], nil
}

// Datasets returns the datasets owned by owner, newest first.
func (d *DB) Datasets(ctx context.Context, owner string) ([]Dataset, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT `+datasetCols+` FROM datasets WHERE owner = ? ORDER BY id DESC`, owner)
	if err != nil {
		return nil, err
	}
	return scanDatasets(rows)
}

// Undescribed returns at most limit datasets of owner whose metadata is not read yet (Size -1),
// newest first.
func (d *DB) Undescribed(ctx context.Context, owner string, limit int) ([]Dataset, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT `+datasetCols+` FROM datasets WHERE owner = ? AND size < 0 ORDER BY id DESC LIMIT ?`, owner, limit)
	if err != nil {
		return nil, err
	}
	return scanDatasets(rows)
}

// ClearDatasets forgets every cached dataset, event, key and grant (after the chain rolled
// back; a sync refills them). The catalog keeps its own sync position (ClearCatalog).
func (d *DB) ClearDatasets(ctx context.Context) error {
	for _, t := range []string{"datasets", "events", "keys", "grants"} {
		if _, err := d.db.ExecContext(ctx, `DELETE FROM `+t); err != nil {
			return err
		}
	}
	return nil
}

func scanDatasets(rows *sql.Rows) ([]Dataset, error) {
	defer rows.Close()
	var out []Dataset
	for rows.Next() {
		var x Dataset
		var created int64
		if err := rows.Scan(&x.ID, &x.Owner, &x.Version, &x.MetadataCID, &x.Price, &x.Envelope, &x.TxHash, &x.Block,
			&x.Name, &x.Description, &x.Size, &x.MediaType, &x.SHA256, &x.PayloadCID, &x.Public, &created); err != nil {
			return nil, err
		}
		x.CreatedAt = fromUnix(created)
		out = append(out, x)
	}
	return out, rows.Err()
}

// JobStage is how far a publish job got. Stages move forward; a failed attempt keeps its stage
// and records Error, so a retry continues from there. The one step back: a signed transaction the
// chain will never mine (replaced, or reverted) takes the job back to JobMetadata, to be signed
// again.
type JobStage string

const (
	JobCreated   JobStage = "created"   // key generated and sealed; nothing uploaded
	JobPayload   JobStage = "payload"   // payload encrypted, added and pinned
	JobMetadata  JobStage = "metadata"  // metadata added and pinned
	JobSigned    JobStage = "signed"    // publish (or update) transaction signed and journaled (maybe sent)
	JobUpdated   JobStage = "updated"   // update only: the new version is on chain; the re-grant is not
	JobGranting  JobStage = "granting"  // update only: a re-grant transaction signed and journaled (maybe sent)
	JobConfirmed JobStage = "confirmed" // mined (and, for an update, re-granted); DatasetID set
)

// Unfinished lists the stages of a job that is not done.
var Unfinished = []JobStage{JobCreated, JobPayload, JobMetadata, JobSigned, JobUpdated, JobGranting}

// Job is an unfinished (or recently finished) publish.
type Job struct {
	ID          string
	Kind        string // "publish" or "update" (a new version of DatasetID)
	Stage       JobStage
	Path        string
	ModTime     time.Time // of the file when the job was created: a changed file is a new job
	Name        string
	Description string
	Price       string // wei, decimal
	Public      bool
	MediaType   string
	Owner       string // the account publishing
	KeyEnvelope []byte // the dataset key sealed to the owner's encryption identity
	PayloadCID  string
	Size        int64
	SHA256      string
	MetadataCID string
	TxHash      string
	RawTx       []byte
	DatasetID   uint64
	Block       uint64
	Error       string // why the last attempt stopped ("" while running or done)
	CreatedAt   time.Time
	UpdatedAt   time.Time
	// StartBlock is the chain head when the job was created: its publish cannot be older.
	StartBlock uint64
	// EarlierTxs are the hashes of earlier signings of the transaction (the same nonce, lower
	// fees), replaced by RawTx but possibly mined instead of it.
	EarlierTxs []string
	// Version is the version an update creates (set once its transaction is mined).
	Version uint64
	// GrantTx and GrantRaw are the last re-grant transaction an update signed.
	GrantTx  string
	GrantRaw []byte
}

const jobCols = `id, kind, stage, path, mtime, name, description, price, public, media_type, owner, key_envelope, payload_cid, size, sha256, metadata_cid, tx_hash, raw_tx, dataset_id, block, error, created_at, updated_at, start_block, earlier_txs, version, grant_tx, grant_raw`

// PutJob inserts or replaces a job; UpdatedAt is set to now.
func (d *DB) PutJob(ctx context.Context, j *Job) error {
	now := time.Now()
	if j.CreatedAt.IsZero() {
		j.CreatedAt = now
	}
	j.UpdatedAt = now
	_, err := d.db.ExecContext(ctx, `INSERT OR REPLACE INTO jobs(`+jobCols+`) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
		j.ID, j.Kind, string(j.Stage), j.Path, j.ModTime.UnixNano(), j.Name, j.Description, j.Price, j.Public, j.MediaType, j.Owner, j.KeyEnvelope,
		j.PayloadCID, j.Size, j.SHA256, j.MetadataCID, j.TxHash, j.RawTx, j.DatasetID, j.Block, j.Error,
		unix(j.CreatedAt), unix(j.UpdatedAt), j.StartBlock, strings.Join(j.EarlierTxs, ","), j.Version, j.GrantTx, j.GrantRaw)
	return err
}

// Job returns one job.
func (d *DB) Job(ctx context.Context, id string) (*Job, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT `+jobCols+` FROM jobs WHERE id = ?`, id)
	if err != nil {
		return nil, err
	}
	all, err := scanJobs(rows)
	if err != nil {
		return nil, err
	}
	if len(all) == 0 {
		return nil, fmt.Errorf("job %s: %w", id, ErrNotFound)
	}
	return all[0], nil
}

// Jobs returns the jobs of an owner (every owner when owner is "") in the given stages (all
// stages when none given), oldest first.
func (d *DB) Jobs(ctx context.Context, owner string, stages ...JobStage) ([]*Job, error) {
	q := `SELECT ` + jobCols + ` FROM jobs WHERE (owner = ? OR ? = '')`
	args := []any{owner, owner}
	if len(stages) > 0 {
		q += ` AND stage IN (?` + strings.Repeat(`,?`, len(stages)-1) + `)`
		for _, s := range stages {
			args = append(args, string(s))
		}
	}
	rows, err := d.db.QueryContext(ctx, q+` ORDER BY created_at, id`, args...)
	if err != nil {
		return nil, err
	}
	return scanJobs(rows)
}

// JobByMetadata returns the oldest job of owner in the given stage whose metadata CID is cid:
// the job behind a Published event. It fails with ErrNotFound when there is none.
func (d *DB) JobByMetadata(ctx context.Context, owner string, stage JobStage, cid string) (*Job, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT `+jobCols+` FROM jobs WHERE metadata_cid = ? AND owner = ? AND stage = ? ORDER BY created_at, id LIMIT 1`,
		cid, owner, string(stage))
	if err != nil {
		return nil, err
	}
	all, err := scanJobs(rows)
	if err != nil {
		return nil, err
	}
	if len(all) == 0 {
		return nil, fmt.Errorf("job of metadata %s: %w", cid, ErrNotFound)
	}
	return all[0], nil
}

// RecentJobs returns, oldest first, the jobs whose transaction may still be changing on chain:
// every signed job, and the confirmed ones mined at or above block since.
func (d *DB) RecentJobs(ctx context.Context, since uint64) ([]*Job, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT `+jobCols+` FROM jobs WHERE stage = ? OR (stage = ? AND block >= ?) ORDER BY created_at, id`,
		string(JobSigned), string(JobConfirmed), since)
	if err != nil {
		return nil, err
	}
	return scanJobs(rows)
}

// DeleteJob removes a job.
func (d *DB) DeleteJob(ctx context.Context, id string) error {
	_, err := d.db.ExecContext(ctx, `DELETE FROM jobs WHERE id = ?`, id)
	return err
}

func scanJobs(rows *sql.Rows) ([]*Job, error) {
	defer rows.Close()
	var out []*Job
	for rows.Next() {
		j := &Job{}
		var stage string
		var created, updated, mtime int64
		var earlier string
		if err := rows.Scan(&j.ID, &j.Kind, &stage, &j.Path, &mtime, &j.Name, &j.Description, &j.Price, &j.Public, &j.MediaType,
			&j.Owner, &j.KeyEnvelope, &j.PayloadCID, &j.Size, &j.SHA256, &j.MetadataCID, &j.TxHash, &j.RawTx,
			&j.DatasetID, &j.Block, &j.Error, &created, &updated, &j.StartBlock, &earlier, &j.Version, &j.GrantTx, &j.GrantRaw); err != nil {
			return nil, err
		}
		if earlier != "" {
			j.EarlierTxs = strings.Split(earlier, ",")
		}
		j.Stage = JobStage(stage)
		j.CreatedAt, j.UpdatedAt = fromUnix(created), fromUnix(updated)
		j.ModTime = time.Unix(0, mtime)
		out = append(out, j)
	}
	return out, rows.Err()
}

func unix(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

func fromUnix(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms)
}
