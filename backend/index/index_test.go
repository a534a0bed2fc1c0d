package index

import (
	"bytes"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"testing"
	"time"
)

func open(t *testing.T, path string) *DB {
	t.Helper()
	d, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

func TestJobsSurviveReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "index.db")
	d := open(t, path)
	ctx := t.Context()
	j := &Job{ID: "j1", Kind: "publish", Stage: JobCreated, Path: "/tmp/f", Name: "f", Price: "5", Owner: "0xA",
		KeyEnvelope: []byte("sealed"), Size: -1}
	if err := d.PutJob(ctx, j); err != nil {
		t.Fatal(err)
	}
	j.Stage, j.PayloadCID, j.Size, j.RawTx, j.TxHash = JobSigned, "bafy", 42, []byte{1, 2, 3}, "0xhash"
	if err := d.PutJob(ctx, j); err != nil {
		t.Fatal(err)
	}
	if err := d.PutJob(ctx, &Job{ID: "j2", Kind: "publish", Stage: JobConfirmed, Owner: "0xA", KeyEnvelope: []byte("x")}); err != nil {
		t.Fatal(err)
	}
	if err := d.PutJob(ctx, &Job{ID: "j3", Kind: "publish", Stage: JobCreated, Owner: "0xB", KeyEnvelope: []byte("y")}); err != nil {
		t.Fatal(err)
	}
	d.Close()

	d = open(t, path)
	got, err := d.Job(ctx, "j1")
	if err != nil {
		t.Fatal(err)
	}
	if got.Stage != JobSigned || got.PayloadCID != "bafy" || got.Size != 42 || !bytes.Equal(got.RawTx, []byte{1, 2, 3}) ||
		!bytes.Equal(got.KeyEnvelope, []byte("sealed")) || got.CreatedAt.IsZero() || got.UpdatedAt.Before(got.CreatedAt) {
		t.Fatalf("reloaded job = %+v", got)
	}
	open, err := d.Jobs(ctx, "0xA", JobCreated, JobPayload, JobMetadata, JobSigned)
	if err != nil || len(open) != 1 || open[0].ID != "j1" {
		t.Fatalf("unfinished jobs of 0xA = %v, %v", open, err)
	}
	all, _ := d.Jobs(ctx, "0xA")
	if len(all) != 2 {
		t.Fatalf("all jobs of 0xA = %d", len(all))
	}
	if _, err := d.Job(ctx, "nope"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("missing job error = %v", err)
	}
	if err := d.DeleteJob(ctx, "j1"); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Job(ctx, "j1"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("deleted job error = %v", err)
	}
}

func TestDatasets(t *testing.T) {
	d := open(t, filepath.Join(t.TempDir(), "index.db"))
	ctx := t.Context()
	created := time.UnixMilli(1_700_000_000_123)
	for _, x := range []Dataset{
		{ID: 1, Owner: "0xA", Version: 1, MetadataCID: "m1", Price: "0", Envelope: []byte("e1"), TxHash: "t1", Block: 3, Size: -1},
		{ID: 2, Owner: "0xB", Version: 1, MetadataCID: "m2", Price: "7", Envelope: []byte("e2"), TxHash: "t2", Block: 4, Size: -1},
		{ID: 3, Owner: "0xA", Version: 2, MetadataCID: "m3", Price: "9", Envelope: []byte("e3"), TxHash: "t3", Block: 5,
			Name: "data.csv", Size: 10, Public: true, CreatedAt: created},
	} {
		if err := d.PutDataset(ctx, x); err != nil {
			t.Fatal(err)
		}
	}
	mine, err := d.Datasets(ctx, "0xA")
	if err != nil || len(mine) != 2 || mine[0].ID != 3 || mine[1].ID != 1 {
		t.Fatalf("datasets of 0xA = %+v, %v", mine, err)
	}
	if x := mine[0]; x.Name != "data.csv" || !x.Public || x.Size != 10 || !x.CreatedAt.Equal(created) {
		t.Fatalf("dataset 3 = %+v", x)
	}
	x, err := d.Dataset(ctx, 2)
	if err != nil || x.Owner != "0xB" || string(x.Envelope) != "e2" {
		t.Fatalf("dataset 2 = %+v, %v", x, err)
	}
	if _, err := d.Dataset(ctx, 9); !errors.Is(err, ErrNotFound) {
		t.Fatalf("missing dataset error = %v", err)
	}
	if err := d.ClearDatasets(ctx); err != nil {
		t.Fatal(err)
	}
	if all, _ := d.Datasets(ctx, "0xA"); len(all) != 0 {
		t.Fatalf("after clear: %d datasets", len(all))
	}
}

func TestMetaAndSchemaVersion(t *testing.T) {
	path := filepath.Join(t.TempDir(), "index.db")
	d := open(t, path)
	ctx := t.Context()
	if v, _ := d.Meta(ctx, "synced"); v != "" {
		t.Fatalf("unset meta = %q", v)
	}
	if err := d.SetMeta(ctx, "synced", "12"); err != nil {
		t.Fatal(err)
	}
	if v, _ := d.Meta(ctx, "synced"); v != "12" {
		t.Fatalf("meta = %q", v)
	}
	if err := d.SetMeta(ctx, "schema", "99"); err != nil {
		t.Fatal(err)
	}
	d.Close()
	if _, err := Open(path); err == nil {
		t.Fatal("opening an index with a newer schema succeeded")
	}
}

// TestMigrateFromVersion1 opens a database written by schema version 1 (the jobs table without
// start_block and earlier_txs): its jobs survive, and the new fields are stored from then on.
func TestMigrateFromVersion1(t *testing.T) {
	path := filepath.Join(t.TempDir(), "index.db")
	raw, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range schema {
		if _, err := raw.Exec(s); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := raw.Exec(`INSERT INTO meta(key, value) VALUES('schema', '1')`); err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`INSERT INTO jobs(id, kind, stage, path, name, description, price, public, media_type, owner, key_envelope, tx_hash, created_at, updated_at)
		VALUES('old', 'publish', 'signed', '/f', 'f', '', '0', 0, '', '0xA', x'01', '0xhash', 1, 1)`); err != nil {
		t.Fatal(err)
	}
	raw.Close()

	d := open(t, path)
	ctx := t.Context()
	j, err := d.Job(ctx, "old")
	if err != nil || j.Stage != JobSigned || j.TxHash != "0xhash" || j.StartBlock != 0 || len(j.EarlierTxs) != 0 {
		t.Fatalf("job from version 1 = %+v, %v", j, err)
	}
	if v, _ := d.Meta(ctx, "schema"); v != fmt.Sprint(schemaVersion) {
		t.Fatalf("schema after opening = %q", v)
	}
	j.StartBlock, j.EarlierTxs = 77, []string{"0x1", "0x2"}
	if err := d.PutJob(ctx, j); err != nil {
		t.Fatal(err)
	}
	d.Close()
	d = open(t, path)
	j, err = d.Job(ctx, "old")
	if err != nil || j.StartBlock != 77 || len(j.EarlierTxs) != 2 || j.EarlierTxs[1] != "0x2" {
		t.Fatalf("job after upgrade = %+v, %v", j, err)
	}
	all, err := d.Jobs(ctx, "")
	if err != nil || len(all) != 1 {
		t.Fatalf("jobs of every owner = %v, %v", all, err)
	}
}

// TestJobLookups: the queries that keep a profile with many finished publishes fast answer as
// a scan of every job would: the unfinished ones of every owner in order, the job behind a
// metadata CID (the oldest confirmed one of its owner), and the jobs the recovery looks at
// (signed, or confirmed at or above a block). The indexes they use are made on open.
func TestJobLookups(t *testing.T) {
	path := filepath.Join(t.TempDir(), "index.db")
	d := open(t, path)
	ctx := t.Context()
	put := func(j *Job) {
		t.Helper()
		j.Kind, j.KeyEnvelope = "publish", []byte("sealed")
		if err := d.PutJob(ctx, j); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 300 {
		put(&Job{ID: fmt.Sprintf("c%03d", i), Stage: JobConfirmed, Owner: "0xA", MetadataCID: fmt.Sprintf("meta%d", i), Block: uint64(i + 1)})
	}
	put(&Job{ID: "s1", Stage: JobSigned, Owner: "0xA", MetadataCID: "meta-s1"})
	put(&Job{ID: "p1", Stage: JobPayload, Owner: "0xB", MetadataCID: "meta7"})
	put(&Job{ID: "c-dup", Stage: JobConfirmed, Owner: "0xA", MetadataCID: "meta7", Block: 400})

	ids := func(js []*Job) (out []string) { // sorted: jobs made within one millisecond come in ID order
		for _, j := range js {
			out = append(out, j.ID)
		}
		sort.Strings(out)
		return out
	}
	if got, err := d.Jobs(ctx, "", Unfinished...); err != nil || fmt.Sprint(ids(got)) != "[p1 s1]" {
		t.Fatalf("unfinished jobs = %v, %v", ids(got), err)
	}
	if got, err := d.Jobs(ctx, "0xB", JobConfirmed); err != nil || len(got) != 0 {
		t.Fatalf("confirmed jobs of 0xB = %v, %v", ids(got), err)
	}
	if got, err := d.Jobs(ctx, "0xA"); err != nil || len(got) != 302 {
		t.Fatalf("every job of 0xA: %d, %v", len(got), err)
	}

	j, err := d.JobByMetadata(ctx, "0xA", JobConfirmed, "meta7")
	if err != nil || j.ID != "c007" || j.Block != 8 {
		t.Fatalf("job of meta7 = %+v, %v", j, err)
	}
	for _, q := range [][3]string{{"0xB", string(JobConfirmed), "meta7"}, {"0xA", string(JobConfirmed), "meta-none"}, {"0xA", string(JobConfirmed), "meta-s1"}} {
		if j, err := d.JobByMetadata(ctx, q[0], JobStage(q[1]), q[2]); !errors.Is(err, ErrNotFound) {
			t.Fatalf("job of %v = %+v, %v, want ErrNotFound", q, j, err)
		}
	}

	if got, err := d.RecentJobs(ctx, 298); err != nil || fmt.Sprint(ids(got)) != "[c-dup c297 c298 c299 s1]" {
		t.Fatalf("recent jobs = %v, %v", ids(got), err)
	}
	if got, err := d.RecentJobs(ctx, 0); err != nil || len(got) != 302 {
		t.Fatalf("recent jobs from block 0: %d, %v", len(got), err)
	}

	var n int
	if err := d.db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name IN ('jobs_stage', 'jobs_metadata')`).Scan(&n); err != nil || n != 2 {
		t.Fatalf("job indexes: %d, %v", n, err)
	}
}

// TestUndescribed: the datasets of an owner whose metadata is not read yet, newest first, at
// most as many as asked.
func TestUndescribed(t *testing.T) {
	d := open(t, filepath.Join(t.TempDir(), "index.db"))
	ctx := t.Context()
	for i := uint64(1); i <= 20; i++ {
		x := Dataset{ID: i, Owner: "0xA", Version: 1, MetadataCID: "m", Price: "0", Envelope: []byte("e"), Size: int64(i)}
		if i%3 == 0 {
			x.Size = -1
		}
		if i == 19 {
			x.Owner = "0xB"
		}
		if err := d.PutDataset(ctx, x); err != nil {
			t.Fatal(err)
		}
	}
	got, err := d.Undescribed(ctx, "0xA", 4)
	var ids []uint64
	for _, x := range got {
		ids = append(ids, x.ID)
	}
	if err != nil || fmt.Sprint(ids) != "[18 15 12 9]" {
		t.Fatalf("undescribed of 0xA = %v, %v", ids, err)
	}
	if got, err := d.Undescribed(ctx, "0xB", 5); err != nil || len(got) != 0 {
		t.Fatalf("undescribed of 0xB = %+v, %v", got, err)
	}
}
