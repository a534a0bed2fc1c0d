package share

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ipfs/go-cid"

	"github.com/datashare/datashare/backend/approval"
	"github.com/datashare/datashare/backend/seal"
	"github.com/datashare/datashare/contracts"
)

// openProfile starts a profile on loopback IPFS (embedded node) and a local chain of its own
// (never the user's).
func openProfile(t *testing.T) *Service {
	t.Helper()
	dir := t.TempDir()
	s, err := Open(t.Context(), Config{
		DataDir: dir, LocalnetDir: filepath.Join(dir, "test-localnet"), NoKeyring: true, Loopback: true, IPFSMode: "embedded",
		Passphrase: func(context.Context, string) (string, error) { return "correct horse battery staple", nil },
		Confirm:    func(context.Context, approval.Summary) (bool, error) { return true, nil },
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// crafted is a dataset published by hand, the way a dishonest owner could: its metadata says
// whatever the test wants.
type crafted struct {
	id              uint64
	payload, meta   cid.Cid
	payloadPlain    []byte
	metadataPinName string
}

// publishCrafted encrypts plain, adds it and the metadata (edited by edit, or replaced by raw)
// to IPFS, registers them on chain and then drops the pins the adding made, as if the blocks
// had come from someone else.
func publishCrafted(t *testing.T, s *Service, plain []byte, edit func(*Metadata), raw []byte) crafted {
	t.Helper()
	ctx := t.Context()
	key, err := seal.NewDatasetKey()
	if err != nil {
		t.Fatal(err)
	}
	var enc bytes.Buffer
	w, err := seal.Encrypt(&enc, key)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(plain)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	pc, err := s.ipfs.Add(ctx, &enc, "test payload")
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(plain)
	m := Metadata{Format: MetadataFormat, Version: 1, Name: "crafted.bin", Size: int64(len(plain)),
		MediaType: "application/octet-stream", SHA256: hex.EncodeToString(sum[:]), Payload: pc.String(),
		Created: time.Now().UTC().Truncate(time.Second)}
	if edit != nil {
		edit(&m)
	}
	b := raw
	if b == nil {
		if b, err = encodeMetadata(m, key); err != nil {
			t.Fatal(err)
		}
	}
	mc, err := s.ipfs.Add(ctx, bytes.NewReader(b), "test metadata")
	if err != nil {
		t.Fatal(err)
	}
	env, err := seal.SealKey(key, s.keys.EncryptionKey())
	if err != nil {
		t.Fatal(err)
	}
	out := s.local.Approve(ctx, approval.Request{Action: "Publish dataset", Dataset: "crafted", To: s.network.Contract,
		Data: contracts.NewDataShare().PackPublish(mc.Bytes(), new(big.Int), env)})
	if err := out.Error(); err != nil {
		t.Fatal(err)
	}
	ev, err := s.publishedEvent(out.Receipt)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []cid.Cid{pc, mc} {
		if err := s.ipfs.Unpin(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	return crafted{id: ev.Id.Uint64(), payload: pc, meta: mc, payloadPlain: plain}
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	rand.Read(b)
	return b
}

// assertNothingKept checks that a refused fetch wrote no file and pinned nothing.
func assertNothingKept(t *testing.T, s *Service, dir string, cids ...cid.Cid) {
	t.Helper()
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("the refused fetch left %d files in the output directory", len(ents))
	}
	for _, c := range cids {
		held, err := s.pinned(t.Context(), c)
		if err != nil {
			t.Fatal(err)
		}
		if held {
			t.Errorf("the refused fetch pinned %s", c)
		}
	}
}

// TestFetchRefusesPayloadLargerThanPromised: metadata that promises 1000 bytes for a payload
// of 2 MiB is refused before the payload is pinned, and nothing is written.
func TestFetchRefusesPayloadLargerThanPromised(t *testing.T) {
	s := openProfile(t)
	d := publishCrafted(t, s, randomBytes(2<<20), func(m *Metadata) { m.Size = 1000 }, nil)
	dir := t.TempDir()
	_, err := s.Fetch(t.Context(), d.id, dir, FetchOptions{}, nil)
	if err == nil || !strings.Contains(err.Error(), "the data is larger than its metadata says: nothing was written") {
		t.Fatalf("Fetch of a payload larger than its metadata says: %v", err)
	}
	assertNothingKept(t, s, dir, d.payload, d.meta)
}

// TestFetchRefusesPayloadSlightlyLarger: a payload whose size is within the bound of
// its root but whose plaintext is longer than promised fails while reading, at the bound.
func TestFetchRefusesPayloadSlightlyLarger(t *testing.T) {
	s := openProfile(t)
	plain := randomBytes(100_000)
	// 100 bytes fewer than the truth: within the age overhead of the root's declared size,
	// so the reading, not the pin, must catch it.
	d := publishCrafted(t, s, plain, func(m *Metadata) { m.Size = int64(len(plain)) - 100 }, nil)
	dir := t.TempDir()
	_, err := s.Fetch(t.Context(), d.id, dir, FetchOptions{}, nil)
	if err == nil || !strings.Contains(err.Error(), "nothing was written") {
		t.Fatalf("Fetch of a payload longer than its metadata says: %v", err)
	}
	t.Log(err)
	assertNothingKept(t, s, dir, d.payload, d.meta)
}

// TestFetchRefusesHugeMetadata: a metadata document over the size limit is refused before any
// of it is pinned.
func TestFetchRefusesHugeMetadata(t *testing.T) {
	s := openProfile(t)
	huge := append([]byte(`{"format":"datashare/metadata","version":1,"description":"`), bytes.Repeat([]byte("x"), 2<<20)...)
	huge = append(huge, `"}`...)
	d := publishCrafted(t, s, randomBytes(1000), nil, huge)
	dir := t.TempDir()
	_, err := s.Fetch(t.Context(), d.id, dir, FetchOptions{}, nil)
	if err == nil || !strings.Contains(err.Error(), "metadata is") || !strings.Contains(err.Error(), "more than") {
		t.Fatalf("Fetch with 2 MiB of metadata: %v", err)
	}
	t.Log(err)
	assertNothingKept(t, s, dir, d.payload, d.meta)
}

// TestFetchPinsWhatItKeeps: an honest dataset fetched by a profile that did not publish it is
// pinned (payload and metadata) under the fetched-dataset name.
func TestFetchPinsWhatItKeeps(t *testing.T) {
	s := openProfile(t)
	d := publishCrafted(t, s, randomBytes(300_000), nil, nil)
	out := filepath.Join(t.TempDir(), "out.bin")
	if _, err := s.Fetch(t.Context(), d.id, out, FetchOptions{}, nil); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(out); !bytes.Equal(b, d.payloadPlain) {
		t.Fatal("the fetched file differs")
	}
	pins, err := s.ipfs.Pins(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	named := map[string]string{}
	for _, p := range pins {
		named[p.Cid.String()] = p.Name
	}
	for _, c := range []cid.Cid{d.payload, d.meta} {
		if named[c.String()] != s.fetchedPinName(d.id) {
			t.Errorf("%s is pinned as %q; want %q", c, named[c.String()], s.fetchedPinName(d.id))
		}
	}
}

// TestForgetUnpinsFetchedDataset: Forget removes the pins of a fetched dataset and keeps the
// file it wrote; the pins of the profile's own publish are never touched.
func TestForgetUnpinsFetchedDataset(t *testing.T) {
	s := openProfile(t)
	d := publishCrafted(t, s, randomBytes(300_000), nil, nil)
	out := filepath.Join(t.TempDir(), "out.bin")
	if _, err := s.Fetch(t.Context(), d.id, out, FetchOptions{}, nil); err != nil {
		t.Fatal(err)
	}
	if n, err := s.Forget(t.Context(), d.id); err != nil || n != 2 {
		t.Fatalf("Forget = %d, %v; want the payload's and the metadata's pins", n, err)
	}
	assertUnpinned(t, s, d.payload, d.meta)
	if b, _ := os.ReadFile(out); !bytes.Equal(b, d.payloadPlain) {
		t.Fatal("Forget touched the fetched file")
	}
	if _, err := s.Forget(t.Context(), d.id); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Forget again = %v; want ErrNotFound", err)
	}

	// The owner fetching its own dataset: nothing is pinned twice, nothing to forget.
	path := filepath.Join(t.TempDir(), "mine.bin")
	os.WriteFile(path, randomBytes(5000), 0o644)
	mine, err := s.Publish(t.Context(), path, PublishOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Fetch(t.Context(), mine.ID, filepath.Join(t.TempDir(), "copy"), FetchOptions{}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Forget(t.Context(), mine.ID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Forget of the profile's own dataset = %v; want ErrNotFound", err)
	}
	for _, c := range []string{mine.PayloadCID, mine.MetadataCID} {
		cc, _ := cid.Decode(c)
		if held, err := s.pinned(t.Context(), cc); err != nil || !held {
			t.Fatalf("the publish's pin of %s is gone: %v", c, err)
		}
	}
}

// TestStatusShowsRepoSize: status reports the size of the IPFS repository.
func TestStatusShowsRepoSize(t *testing.T) {
	s := openProfile(t)
	before, err := s.Status(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	publishCrafted(t, s, randomBytes(3<<20), nil, nil)
	after, err := s.Status(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if before.IPFSRepoSize <= 0 || after.IPFSRepoSize < before.IPFSRepoSize+3<<20 {
		t.Fatalf("repository size %d, then %d after adding 3 MiB", before.IPFSRepoSize, after.IPFSRepoSize)
	}
}

func assertUnpinned(t *testing.T, s *Service, cids ...cid.Cid) {
	t.Helper()
	for _, c := range cids {
		if held, err := s.pinned(t.Context(), c); err != nil || held {
			t.Errorf("%s is still pinned (%v)", c, err)
		}
	}
}
