package share

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/gofrs/flock"

	"github.com/datashare/datashare/backend/ipfs"
)

// Profiles on one computer find each other's IPFS nodes through the local chain's directory,
// which every profile of the user shares: with no DHT or mDNS on loopback, and no internet for
// the public network's, nothing else would tell one node where the other listens, and the
// provider hints are inside the metadata a fetch must read first.
//
// Each profile with a running IPFS node on the local chain keeps a record in
// <localnet>/ipfs-peers: NAME.json (its peer id and loopback addresses, written atomically)
// and NAME.lock, which it holds locked while it runs. A fetch, and every round of its wait for
// the data, dials the recorded peers in parallel for a bounded time (localDialFor). A record
// whose lock nobody holds was left by a process that is gone (the system drops the lock of a
// process that dies, even with kill -9): it is removed when seen.

// localPeersDir is the directory of the records, in the local chain's directory.
const localPeersDir = "ipfs-peers"

const (
	maxLocalRecord  = 16 << 10    // a record larger than this is not read
	maxLocalPeers   = 64          // at most this many records are dialled
	orphanAfter     = time.Minute // a lock or temporary file without a record is removed after this
	localRedialWait = time.Second // dials of the recorded peers are this far apart at least
)

// localDialFor bounds one round of dials of the recorded peers: a peer that does not answer
// within it (a record whose process hangs) costs a fetch no more. A variable for tests.
var localDialFor = 3 * time.Second

// localPeerRecord is one record: NAME.json.
type localPeerRecord struct {
	PeerID string   `json:"peerId"`
	Addrs  []string `json:"addrs"` // multiaddrs ending in /p2p/<peer id>, loopback only
}

// localPeers is this profile's part in the records of the local chain's IPFS peers.
type localPeers struct {
	dir  string
	name string       // this profile's record (NAME.json, NAME.lock); "" when it has none
	lock *flock.Flock // held while the record stands

	mu       sync.Mutex // one round of dials at a time
	lastDial time.Time
}

// announceLocalPeer records this profile's IPFS node in the records of the local chain in
// chainDir, for the other profiles on this computer to dial. A node with no loopback address
// gets no record (nobody here could dial it), but still dials the others.
func announceLocalPeer(ctx context.Context, chainDir string, st *ipfs.Store) (*localPeers, error) {
	lp := &localPeers{dir: filepath.Join(chainDir, localPeersDir)}
	addrs, err := st.Addrs(ctx)
	if err != nil {
		return nil, fmt.Errorf("record this profile's IPFS node for the other profiles on this computer: %w", err)
	}
	rec := localPeerRecord{PeerID: st.PeerID()}
	for _, a := range addrs {
		if ipfs.IsLoopback(a) {
			rec.Addrs = append(rec.Addrs, a)
		}
	}
	if len(rec.Addrs) == 0 {
		return lp, nil
	}
	if err := lp.write(rec); err != nil {
		return nil, fmt.Errorf("record this profile's IPFS node for the other profiles on this computer in %s: %w", lp.dir, err)
	}
	return lp, nil
}

func (lp *localPeers) write(rec localPeerRecord) error {
	if err := os.MkdirAll(lp.dir, 0o700); err != nil {
		return err
	}
	if err := os.Chmod(lp.dir, 0o700); err != nil {
		return err
	}
	var r [6]byte
	if _, err := rand.Read(r[:]); err != nil {
		return err
	}
	// Profiles that use one Kubo daemon share its peer id: each gets a record of its own.
	name := rec.PeerID + "-" + hex.EncodeToString(r[:])
	lock := flock.New(filepath.Join(lp.dir, name+".lock"))
	ok, err := lock.TryLock()
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("%s is locked by another process", lock.Path())
	}
	b, err := json.Marshal(rec)
	if err == nil {
		err = writeFileAtomic(filepath.Join(lp.dir, name+".json"), b)
	}
	if err != nil {
		lock.Unlock()
		os.Remove(lock.Path())
		return err
	}
	lp.name, lp.lock = name, lock
	return nil
}

// writeFileAtomic writes b to path through a temporary file (0600) and a rename.
func writeFileAtomic(path string, b []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // no-op once renamed
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// withdraw removes this profile's record (on Close). Nil, or with no record, does nothing.
func (lp *localPeers) withdraw() error {
	if lp == nil || lp.lock == nil {
		return nil
	}
	err := os.Remove(filepath.Join(lp.dir, lp.name+".json"))
	if errors.Is(err, fs.ErrNotExist) {
		err = nil
	}
	if uerr := lp.lock.Unlock(); err == nil {
		err = uerr
	}
	os.Remove(lp.lock.Path()) // after the record: a record never stands without its lock
	lp.lock = nil
	if err != nil {
		return fmt.Errorf("remove this profile's IPFS record for the other profiles on this computer: %w", err)
	}
	return nil
}

// others reads the records of the other profiles' nodes (not self's), removing those whose
// process is gone on the way.
func (lp *localPeers) others(self string) []localPeerRecord {
	ents, err := os.ReadDir(lp.dir)
	if err != nil {
		return nil
	}
	var out []localPeerRecord
	for _, e := range ents {
		name := e.Name()
		switch {
		case strings.HasPrefix(name, "."), strings.HasSuffix(name, ".lock"):
			lp.removeOrphan(name)
		case strings.HasSuffix(name, ".json"):
			base := strings.TrimSuffix(name, ".json")
			if base == lp.name || lp.removeStale(base) || len(out) == maxLocalPeers {
				continue
			}
			if rec, ok := readLocalRecord(filepath.Join(lp.dir, name)); ok && rec.PeerID != self {
				out = append(out, rec)
			}
		}
	}
	return out
}

// removeStale removes the record base when no process holds its lock, and reports whether it did.
func (lp *localPeers) removeStale(base string) bool {
	lock := flock.New(filepath.Join(lp.dir, base+".lock"))
	ok, err := lock.TryLock()
	if err != nil || !ok {
		return false // its process runs (or the lock cannot be checked: keep the record)
	}
	os.Remove(filepath.Join(lp.dir, base+".json"))
	lock.Unlock()
	os.Remove(lock.Path())
	return true
}

// removeOrphan removes a lock file without its record, or a temporary file, left by a process
// that stopped between the two; only when it is old, so as not to race a profile that is
// writing its record now.
func (lp *localPeers) removeOrphan(name string) {
	path := filepath.Join(lp.dir, name)
	fi, err := os.Lstat(path)
	if err != nil || time.Since(fi.ModTime()) < orphanAfter {
		return
	}
	if base, ok := strings.CutSuffix(name, ".lock"); ok && !strings.HasPrefix(name, ".") {
		if _, err := os.Lstat(filepath.Join(lp.dir, base+".json")); err == nil {
			return // a record's lock: removeStale decides
		}
		lock := flock.New(path)
		if ok, err := lock.TryLock(); err != nil || !ok {
			return
		}
		defer lock.Unlock()
	}
	os.Remove(path)
}

// readLocalRecord reads one record, keeping only its loopback addresses.
func readLocalRecord(path string) (localPeerRecord, bool) {
	f, err := os.Open(path)
	if err != nil {
		return localPeerRecord{}, false
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxLocalRecord+1))
	if err != nil || len(b) > maxLocalRecord {
		return localPeerRecord{}, false
	}
	var rec localPeerRecord
	if json.Unmarshal(b, &rec) != nil || rec.PeerID == "" {
		return localPeerRecord{}, false
	}
	addrs := rec.Addrs[:0]
	for _, a := range rec.Addrs {
		if ipfs.IsLoopback(a) {
			addrs = append(addrs, a)
		}
	}
	rec.Addrs = addrs
	return rec, len(addrs) > 0
}

// dialLocalPeers connects to the IPFS nodes of the other profiles on this computer that use the
// local chain, in parallel, for at most localDialFor; at most once per localRedialWait (a
// caller within it finds the connections made already). Failures only cost speed: a peer that
// is not online is not there to fetch from. On other networks it does nothing.
func (s *Service) dialLocalPeers(ctx context.Context) {
	lp := s.peers
	if lp == nil {
		return
	}
	lp.mu.Lock()
	defer lp.mu.Unlock()
	if time.Since(lp.lastDial) < localRedialWait {
		return
	}
	defer func() { lp.lastDial = time.Now() }()
	recs := lp.others(s.ipfs.PeerID())
	if len(recs) == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, localDialFor)
	defer cancel()
	var wg sync.WaitGroup
	for _, r := range recs {
		wg.Go(func() { _ = s.ipfs.Connect(ctx, r.Addrs) })
	}
	wg.Wait()
}
