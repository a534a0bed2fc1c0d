package share

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gofrs/flock"
	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/datashare/datashare/backend/approval"
	"github.com/datashare/datashare/backend/ipfs"
)

// openOn opens a profile on the local chain in chainDir (loopback IPFS, embedded node).
func openOn(t *testing.T, chainDir string, readOnly bool) *Service {
	t.Helper()
	s, err := Open(t.Context(), Config{
		DataDir: t.TempDir(), LocalnetDir: chainDir, NoKeyring: true, Loopback: true, IPFSMode: "embedded", ReadOnly: readOnly,
		Passphrase: func(context.Context, string) (string, error) { return "correct horse battery staple", nil },
		Confirm:    func(context.Context, approval.Summary) (bool, error) { return true, nil },
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// records reads the records in dir by name, without the ".json".
func records(t *testing.T, dir string) map[string]localPeerRecord {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]localPeerRecord{}
	for _, e := range ents {
		base, ok := strings.CutSuffix(e.Name(), ".json")
		if !ok {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		var r localPeerRecord
		if err := json.Unmarshal(b, &r); err != nil {
			t.Fatalf("%s: %v", e.Name(), err)
		}
		out[base] = r
	}
	return out
}

func byPeer(recs map[string]localPeerRecord, id string) (string, bool) {
	for name, r := range recs {
		if r.PeerID == id {
			return name, true
		}
	}
	return "", false
}

// fakePeerAddr is a loopback address on port with the /p2p/ part of a fresh peer id.
func fakePeerAddr(t *testing.T, port int) (string, string) {
	t.Helper()
	_, pub, err := crypto.GenerateEd25519Key(nil)
	if err != nil {
		t.Fatal(err)
	}
	id, err := peer.IDFromPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	return id.String(), "/ip4/127.0.0.1/tcp/" + strconv.Itoa(port) + "/p2p/" + id.String()
}

// holdLock locks a record's lock file as its running process would.
func holdLock(t *testing.T, dir, name string) {
	t.Helper()
	l := flock.New(filepath.Join(dir, name+".lock"))
	if ok, err := l.TryLock(); !ok || err != nil {
		t.Fatalf("lock %s: %v, %v", name, ok, err)
	}
	t.Cleanup(func() { l.Unlock() })
}

// writeRecord writes a record as a profile would, with its lock file (unlocked: as a process
// that died leaves it).
func writeRecord(t *testing.T, dir, name string, rec localPeerRecord) {
	t.Helper()
	b, _ := json.Marshal(rec)
	if err := os.WriteFile(filepath.Join(dir, name+".lock"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".json"), b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestLocalPeers: two profiles on one local chain record their IPFS nodes (owner-only files,
// loopback addresses only) and B fetches what A shared with it without being told where A is.
// Records left by processes that are gone are removed and cost nothing; a record whose process
// runs but never answers costs the fetch one bounded round of dials, no more. Close removes a
// profile's record; a read-only profile writes none.
func TestLocalPeers(t *testing.T) {
	old := localDialFor
	localDialFor = time.Second
	t.Cleanup(func() { localDialFor = old })
	ctx := t.Context()
	chainDir := t.TempDir()
	a := openOn(t, chainDir, false)
	b := openOn(t, chainDir, false)
	ro := openOn(t, chainDir, true)
	dir := filepath.Join(chainDir, localPeersDir)

	recs := records(t, dir)
	if len(recs) != 2 {
		t.Fatalf("%d records; want one for each of the two profiles with IPFS (the read-only one has none): %v", len(recs), recs)
	}
	if fi, err := os.Stat(dir); err != nil || fi.Mode().Perm() != 0o700 {
		t.Fatalf("the records' directory: %v, %v; want mode 0700", fi.Mode(), err)
	}
	for _, s := range []*Service{a, b} {
		name, ok := byPeer(recs, s.ipfs.PeerID())
		if !ok {
			t.Fatalf("no record of %s in %v", s.ipfs.PeerID(), recs)
		}
		if fi, err := os.Stat(filepath.Join(dir, name+".json")); err != nil || fi.Mode().Perm() != 0o600 {
			t.Fatalf("record %s: %v, %v; want mode 0600", name, fi.Mode(), err)
		}
		if len(recs[name].Addrs) == 0 {
			t.Fatalf("record %s has no address", name)
		}
		for _, a := range recs[name].Addrs {
			if !ipfs.IsLoopback(a) || !strings.HasSuffix(a, "/p2p/"+s.ipfs.PeerID()) {
				t.Fatalf("record %s names %s: want loopback addresses of its peer only", name, a)
			}
		}
	}
	if ro.peers != nil {
		t.Fatal("a read-only profile has a record")
	}

	// A dead process's record: its port closed, its lock free.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	deadPort := l.Addr().(*net.TCPAddr).Port
	l.Close()
	deadID, deadAddr := fakePeerAddr(t, deadPort)
	writeRecord(t, dir, deadID+"-dead", localPeerRecord{PeerID: deadID, Addrs: []string{deadAddr}})
	// A running process's record that names only an address off this computer: never dialled.
	farID, _ := fakePeerAddr(t, 1)
	writeRecord(t, dir, farID+"-far", localPeerRecord{PeerID: farID, Addrs: []string{"/ip4/192.0.2.1/tcp/4001/p2p/" + farID}})
	holdLock(t, dir, farID+"-far")
	// A live process that never answers: its lock held, a listener that accepts and says nothing.
	hung, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { hung.Close() })
	go func() {
		var held []net.Conn
		defer func() {
			for _, c := range held {
				c.Close()
			}
		}()
		for {
			c, err := hung.Accept()
			if err != nil {
				return
			}
			held = append(held, c)
		}
	}()
	hungID, hungAddr := fakePeerAddr(t, hung.Addr().(*net.TCPAddr).Port)
	writeRecord(t, dir, hungID+"-hung", localPeerRecord{PeerID: hungID, Addrs: []string{hungAddr}})
	holdLock(t, dir, hungID+"-hung")
	// A lock file whose record never came, from long ago; and a fresh one (a profile writing
	// its record now).
	if err := os.WriteFile(filepath.Join(dir, "old-orphan.lock"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	long := time.Now().Add(-2 * orphanAfter)
	if err := os.Chtimes(filepath.Join(dir, "old-orphan.lock"), long, long); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "new-orphan.lock"), nil, 0o600); err != nil {
		t.Fatal(err)
	}

	// What B would dial: A's node and the hung one, nothing else.
	var dialled []string
	for _, r := range b.peers.others(b.ipfs.PeerID()) {
		dialled = append(dialled, r.PeerID)
	}
	slices.Sort(dialled)
	want := []string{a.ipfs.PeerID(), hungID}
	slices.Sort(want)
	if !slices.Equal(dialled, want) {
		t.Fatalf("B would dial %v; want A's node and the hung one %v", dialled, want)
	}
	for _, gone := range []string{deadID + "-dead.json", deadID + "-dead.lock", "old-orphan.lock"} {
		if _, err := os.Stat(filepath.Join(dir, gone)); !os.IsNotExist(err) {
			t.Errorf("%s of a process that is gone is still there (%v)", gone, err)
		}
	}
	for _, kept := range []string{hungID + "-hung.json", farID + "-far.json", "new-orphan.lock"} {
		if _, err := os.Stat(filepath.Join(dir, kept)); err != nil {
			t.Errorf("%s was removed: %v", kept, err)
		}
	}

	path := filepath.Join(t.TempDir(), "in.bin")
	plain := randomBytes(400_000)
	if err := os.WriteFile(path, plain, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := b.RegisterKey(ctx); err != nil {
		t.Fatal(err)
	}
	ds, err := a.Publish(ctx, path, PublishOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Share(ctx, ds.ID, []string{b.Account().Hex()}); err != nil {
		t.Fatal(err)
	}
	if n, err := b.ipfs.Peers(ctx); err != nil || n != 0 {
		t.Fatalf("B is connected to %d peers before the fetch (%v); want none", n, err)
	}
	// One round of dials ends within its bound, the hung peer's dial cut short (left to
	// itself, libp2p gives a loopback dial 5 s).
	start := time.Now()
	b.dialLocalPeers(ctx)
	if took, bound := time.Since(start), localDialFor+500*time.Millisecond; took > bound {
		t.Fatalf("a round of dials with a hung record took %v; want at most %v", took, bound)
	}
	if n, err := b.ipfs.Peers(ctx); err != nil || n != 1 {
		t.Fatalf("B is connected to %d peers after a round of dials (%v); want A's", n, err)
	}
	// The fetch dials again (it finds A connected already) and succeeds.
	b.peers.lastDial = time.Time{}
	out := filepath.Join(t.TempDir(), "out.bin")
	start = time.Now()
	if _, err := b.Fetch(ctx, ds.ID, out, FetchOptions{}, nil); err != nil {
		t.Fatalf("B's fetch of what A shared, with no manual connect: %v", err)
	}
	took := time.Since(start)
	if got, _ := os.ReadFile(out); !bytes.Equal(got, plain) {
		t.Fatal("the fetched file differs from the published one")
	}
	// One bounded round of dials (the hung peer), then the fetch itself.
	if bound := localDialFor + 7*time.Second; took > bound {
		t.Fatalf("the fetch took %v with a hung record; want at most %v", took, bound)
	}
	t.Logf("fetch with a dead, a far and a hung record: %v (dial bound %v)", took, localDialFor)

	b.Close()
	recs = records(t, dir)
	if _, ok := byPeer(recs, b.ipfs.PeerID()); ok {
		t.Fatal("B's record is still there after Close")
	}
	if _, ok := byPeer(recs, a.ipfs.PeerID()); !ok {
		t.Fatal("A's record went when B closed")
	}
}
