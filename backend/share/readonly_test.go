package share_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/datashare/datashare/backend/ipfs/ipfstest"
	"github.com/datashare/datashare/backend/share"
)

// TestReadOnly opens a profile read-only before and after a publish: no IPFS node is started
// (the first time, its repository is not even created), Status says which IPFS would run, List
// shows what was published, and every method that needs IPFS or may send a transaction fails
// with ErrReadOnly (code internal) and changes nothing.
func TestReadOnly(t *testing.T) {
	dir := t.TempDir()
	ro := open(t, share.Config{DataDir: dir, ReadOnly: true, Confirm: refuseToAsk})
	st, err := ro.Status(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if st.IPFSStarted || st.IPFSNote != share.IPFSNotStarted || st.IPFSMode != "embedded" ||
		st.IPFSNetwork != "loopback" || st.IPFSPeerID != "" || st.IPFSRepoSize != 0 || st.Account == "" {
		t.Fatalf("read-only status = %+v", st)
	}
	if list, err := ro.List(t.Context()); err != nil || len(list) != 0 {
		t.Fatalf("List = %+v, %v", list, err)
	}
	if err := ro.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "ipfs")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a read-only open made the IPFS repository: %v", err)
	}

	s := open(t, share.Config{DataDir: dir})
	path, _ := writeRandom(t, 10_000)
	d, err := s.Publish(t.Context(), path, share.PublishOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	ro = open(t, share.Config{DataDir: dir, ReadOnly: true, Confirm: refuseToAsk})
	before, err := ro.Status(t.Context())
	if err != nil || before.IPFSStarted {
		t.Fatalf("status = %+v, %v", before, err)
	}
	list, err := ro.List(t.Context())
	if err != nil || len(list) != 1 || list[0].ID != d.ID || list[0].Name != d.Name || list[0].Status != "published" {
		t.Fatalf("List = %+v, %v", list, err)
	}
	path2, _ := writeRandom(t, 11_000)
	for name, call := range map[string]func() error{
		"Publish": func() error { _, err := ro.Publish(t.Context(), path2, share.PublishOptions{}, nil); return err },
		"Fetch": func() error {
			_, err := ro.Fetch(t.Context(), d.ID, filepath.Join(t.TempDir(), "out"), share.FetchOptions{}, nil)
			return err
		},
		"Forget":      func() error { _, err := ro.Forget(t.Context(), d.ID); return err },
		"Resume":      func() error { _, err := ro.Resume(t.Context(), nil); return err },
		"ResumeJob":   func() error { _, err := ro.ResumeJob(t.Context(), "1", nil); return err },
		"DiscardJob":  func() error { return ro.DiscardJob(t.Context(), "1") },
		"IPFSAddrs":   func() error { _, err := ro.IPFSAddrs(t.Context()); return err },
		"ConnectIPFS": func() error { return ro.ConnectIPFS(t.Context(), nil) },
	} {
		err := call()
		if !errors.Is(err, share.ErrReadOnly) || share.Code(err) != share.CodeInternal {
			t.Errorf("%s on a read-only profile = %v (code %q), want ErrReadOnly", name, err, share.Code(err))
		}
	}
	if jobs, err := ro.Jobs(t.Context()); err != nil || len(jobs) != 0 {
		t.Fatalf("jobs after the refused calls = %+v, %v", jobs, err)
	}
	after, err := ro.Status(t.Context())
	if err != nil || after.Block != before.Block || after.Balance != before.Balance {
		t.Fatalf("a read-only profile changed the chain: block %d → %d, balance %s → %s (%v)",
			before.Block, after.Block, before.Balance, after.Balance, err)
	}
}

// TestReadOnlyDaemon: read-only in daemon mode asks the daemon and uses it when it answers;
// when none does, Status says so instead of failing.
func TestReadOnlyDaemon(t *testing.T) {
	api, _ := ipfstest.StartDaemon(t)
	ro := open(t, share.Config{IPFSMode: "daemon", IPFSAPI: api, ReadOnly: true, Confirm: refuseToAsk})
	st, err := ro.Status(t.Context())
	if err != nil || !st.IPFSStarted || st.IPFSMode != "daemon" || st.IPFSNote != "" || st.IPFSPeerID == "" {
		t.Fatalf("read-only status with a daemon = %+v, %v", st, err)
	}

	none := open(t, share.Config{IPFSMode: "daemon", IPFSAPI: "/ip4/127.0.0.1/tcp/9", ReadOnly: true, Confirm: refuseToAsk})
	st, err = none.Status(t.Context())
	if err != nil || st.IPFSStarted || st.IPFSMode != "daemon" || st.IPFSNote == "" {
		t.Fatalf("read-only status with no daemon = %+v, %v", st, err)
	}
}

// TestReadOnlyLeavesKeysLocked: a read-only open reads only the public part of the keys
// (keys.json): no passphrase is asked, yet Status shows the same account, device address, keys
// backend and encryption key as a full open, and List names what the profile published. A
// transaction fails with ErrReadOnly and sends nothing. Links, which needs the identity (the
// links are sealed to it), unlocks the keys then, once.
func TestReadOnlyLeavesKeysLocked(t *testing.T) {
	dir := t.TempDir()
	localnet := share.LocalnetForTests()
	if localnet == "" {
		localnet = filepath.Join(dir, "test-localnet")
	}
	s := open(t, share.Config{DataDir: dir, LocalnetDir: localnet})
	path, _ := writeRandom(t, 5_000)
	d, err := s.Publish(t.Context(), path, share.PublishOptions{Name: "locked.bin"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	full, err := s.Status(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	asked := 0
	ro, err := share.Open(t.Context(), share.Config{DataDir: dir, LocalnetDir: localnet, ReadOnly: true,
		NoKeyring: true, Loopback: true, IPFSMode: "embedded", Confirm: refuseToAsk,
		Passphrase: func(ctx context.Context, purpose string) (string, error) { asked++; return pass(ctx, purpose) }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ro.Close() })
	st, err := ro.Status(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if st.Account != full.Account || st.DeviceAddress != full.DeviceAddress || st.KeysBackend != full.KeysBackend ||
		st.Key.PublicKey != full.Key.PublicKey || st.Key.Registered != full.Key.Registered || st.Balance != full.Balance {
		t.Fatalf("read-only status %+v\n differs from the full open's %+v", st, full)
	}
	list, err := ro.List(t.Context())
	if err != nil || len(list) != 1 || list[0].ID != d.ID || list[0].Name != "locked.bin" {
		t.Fatalf("List = %+v, %v", list, err)
	}
	if _, err := ro.RegisterKey(t.Context()); !errors.Is(err, share.ErrReadOnly) {
		t.Errorf("RegisterKey on a read-only profile = %v, want ErrReadOnly", err)
	}
	if after, err := ro.Status(t.Context()); err != nil || after.Block != st.Block {
		t.Fatalf("a read-only profile changed the chain: block %d → %d (%v)", st.Block, after.Block, err)
	}
	if asked != 0 {
		t.Fatalf("the passphrase was asked %d times by a read-only open's Status and List", asked)
	}
	for range 2 {
		if links, err := ro.Links(t.Context(), d.ID); err != nil || len(links) != 0 {
			t.Fatalf("Links on a read-only profile = %+v, %v", links, err)
		}
	}
	if asked != 1 {
		t.Fatalf("Links asked the passphrase %d times, want once", asked)
	}
}
