package share

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ipfs/go-cid"

	"github.com/datashare/datashare/backend/approval"
	"github.com/datashare/datashare/backend/ipfs"
	"github.com/datashare/datashare/backend/seal"
	"github.com/datashare/datashare/contracts"
)

// shortWaits makes Fetch give up waiting quickly, for the length of a test.
func shortWaits(t *testing.T) {
	n, w, r := offlineNotice, offlineWait, redialEvery
	offlineNotice, offlineWait, redialEvery = 300*time.Millisecond, 2*time.Second, 300*time.Millisecond
	t.Cleanup(func() { offlineNotice, offlineWait, redialEvery = n, w, r })
}

// otherNode starts a second IPFS node on loopback, not connected to anything: another
// computer that holds data.
func otherNode(t *testing.T) *ipfs.Store {
	t.Helper()
	st, err := ipfs.Open(t.Context(), ipfs.Options{RepoPath: t.TempDir(), Mode: ipfs.ModeEmbedded, Network: ipfs.Loopback})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// publishHeldBy registers a dataset of s whose payload (and, with metaToo, metadata) only the
// node holder has, as when the owner published from another computer that is now off.
func publishHeldBy(t *testing.T, s *Service, holder *ipfs.Store, plain []byte, metaToo bool) (id uint64, payload, meta cid.Cid) {
	t.Helper()
	ctx := t.Context()
	key, err := seal.NewDatasetKey()
	if err != nil {
		t.Fatal(err)
	}
	var enc bytes.Buffer
	w, _ := seal.Encrypt(&enc, key)
	w.Write(plain)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if payload, err = holder.Add(ctx, &enc, "test payload"); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(plain)
	b, err := encodeMetadata(Metadata{Format: MetadataFormat, Version: 1, Name: "held.bin", Size: int64(len(plain)),
		MediaType: "application/octet-stream", SHA256: hex.EncodeToString(sum[:]), Payload: payload.String(),
		Created: time.Now().UTC().Truncate(time.Second)}, key)
	if err != nil {
		t.Fatal(err)
	}
	metaStore := s.ipfs
	if metaToo {
		metaStore = holder
	}
	if meta, err = metaStore.Add(ctx, bytes.NewReader(b), "test metadata"); err != nil {
		t.Fatal(err)
	}
	env, err := seal.SealKey(key, s.keys.EncryptionKey())
	if err != nil {
		t.Fatal(err)
	}
	out := s.local.Approve(ctx, approval.Request{Action: "Publish dataset", Dataset: "held", To: s.network.Contract,
		Data: contracts.NewDataShare().PackPublish(meta.Bytes(), new(big.Int), env)})
	if err := out.Error(); err != nil {
		t.Fatal(err)
	}
	ev, err := s.publishedEvent(out.Receipt)
	if err != nil {
		t.Fatal(err)
	}
	return ev.Id.Uint64(), payload, meta
}

// stages records the stages a fetch went through and signals the first StageWait.
type stages struct {
	mu      sync.Mutex
	seen    []Stage
	waiting chan struct{}
	once    sync.Once
}

func newStages() *stages { return &stages{waiting: make(chan struct{})} }

func (s *stages) Stage(st Stage) {
	s.mu.Lock()
	s.seen = append(s.seen, st)
	s.mu.Unlock()
	if st == StageWait {
		s.once.Do(func() { close(s.waiting) })
	}
}
func (s *stages) Bytes(int64, int64) {}
func (s *stages) list() []Stage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Stage(nil), s.seen...)
}

// TestFetchOwnerOffline: when no computer holding the data is online, Fetch says it waits,
// then gives up with an unavailable error that says why; nothing is written or pinned. With
// Wait it keeps waiting, and the download starts once the computer holding the data is online.
func TestFetchOwnerOffline(t *testing.T) {
	shortWaits(t)
	s := openProfile(t)
	holder := otherNode(t)
	plain := randomBytes(300_000)

	for _, metaToo := range []bool{true, false} {
		name := map[bool]string{true: "metadata and payload elsewhere", false: "payload elsewhere"}[metaToo]
		t.Run(name, func(t *testing.T) {
			id, payload, meta := publishHeldBy(t, s, holder, plain, metaToo)
			dir := t.TempDir()
			p := newStages()
			_, err := s.Fetch(t.Context(), id, dir, FetchOptions{}, p)
			if !errors.Is(err, ErrOffline) || Code(err) != CodeUnavailable || !strings.Contains(err.Error(), "the owner's computer is not online") {
				t.Fatalf("Fetch with the data offline: %v (code %s)", err, Code(err))
			}
			t.Log(err)
			got := p.list()
			if len(got) == 0 || got[len(got)-1] != StageWait {
				t.Fatalf("stages %v; want the last to be %q", got, StageWait)
			}
			assertNothingKept(t, s, dir, payload)
			if metaToo {
				assertNothingKept(t, s, dir, meta)
			}
		})
	}

	t.Run("wait until it is online", func(t *testing.T) {
		id, _, _ := publishHeldBy(t, s, holder, plain, true)
		out := filepath.Join(t.TempDir(), "out.bin")
		p := newStages()
		pastBound := make(chan struct{})
		var once sync.Once
		attempted = func(waited time.Duration) {
			if waited > 2*offlineWait {
				once.Do(func() { close(pastBound) })
			}
		}
		t.Cleanup(func() { attempted = nil })
		done := make(chan error, 1)
		go func() {
			_, err := s.Fetch(t.Context(), id, out, FetchOptions{Wait: true}, p)
			done <- err
		}()
		// With Wait, Fetch goes on past the bounded wait.
		select {
		case <-pastBound:
		case err := <-done:
			t.Fatalf("Fetch with Wait ended while the data was offline: %v", err)
		}
		if got := p.list(); got[len(got)-1] != StageWait {
			t.Fatalf("stages %v while waiting", got)
		}
		addrs, err := holder.Addrs(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if err := s.ConnectIPFS(t.Context(), addrs); err != nil {
			t.Fatal(err)
		}
		if err := <-done; err != nil {
			t.Fatalf("Fetch after the data came online: %v", err)
		}
		if b, _ := os.ReadFile(out); !bytes.Equal(b, plain) {
			t.Fatal("the fetched file differs")
		}
		got := p.list()
		if got[len(got)-1] != StageDone {
			t.Fatalf("stages %v", got)
		}
	})

	t.Run("cancel while waiting", func(t *testing.T) {
		other := otherNode(t) // not connected: s has no way to it
		id, _, _ := publishHeldBy(t, s, other, plain, true)
		ctx, cancel := context.WithCancel(t.Context())
		p := newStages()
		done := make(chan error, 1)
		go func() {
			_, err := s.Fetch(ctx, id, t.TempDir(), FetchOptions{Wait: true}, p)
			done <- err
		}()
		<-p.waiting
		cancel()
		if err := <-done; Code(err) != CodeCanceled {
			t.Fatalf("Fetch cancelled while waiting: %v (code %s)", err, Code(err))
		}
	})
}
