package share_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/datashare/datashare/backend/approval"
	"github.com/datashare/datashare/backend/config"
	"github.com/datashare/datashare/backend/index"
	"github.com/datashare/datashare/backend/ipfs"
	"github.com/datashare/datashare/backend/ipfs/ipfstest"
	"github.com/datashare/datashare/backend/keys"
	"github.com/datashare/datashare/backend/seal"
	"github.com/datashare/datashare/backend/share"
)

const passphrase = "correct horse battery staple"

func pass(context.Context, string) (string, error) { return passphrase, nil }

// approveAll approves every request and remembers the summaries it was shown.
type approveAll struct {
	n    atomic.Int32
	last atomic.Pointer[approval.Summary]
}

func (a *approveAll) confirm(_ context.Context, s approval.Summary) (bool, error) {
	a.n.Add(1)
	a.last.Store(&s)
	return true, nil
}

// open starts a profile on loopback IPFS with the passphrase-file keys.
func open(t *testing.T, cfg share.Config) *share.Service {
	t.Helper()
	if cfg.DataDir == "" {
		cfg.DataDir = t.TempDir()
	}
	if cfg.LocalnetDir == "" {
		cfg.LocalnetDir = share.LocalnetForTests()
	}
	if cfg.LocalnetDir == "" {
		// A local chain of its own for each test profile (reopening the profile finds it
		// again): tests count datasets from 1, and never touch the user's real local chain.
		cfg.LocalnetDir = filepath.Join(cfg.DataDir, "test-localnet")
	}
	cfg.NoKeyring, cfg.Passphrase, cfg.Loopback = true, pass, true
	if cfg.IPFSMode == "" {
		cfg.IPFSMode = "embedded"
	}
	if cfg.Confirm == nil {
		cfg.Confirm = (&approveAll{}).confirm
	}
	s, err := share.Open(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func writeRandom(t *testing.T, size int64) (string, []byte) {
	t.Helper()
	b := make([]byte, size)
	rand.Read(b)
	path := filepath.Join(t.TempDir(), fmt.Sprintf("data-%d.bin", size))
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path, b
}

func fetchEqual(t *testing.T, s *share.Service, id uint64, want []byte) share.FetchResult {
	t.Helper()
	out := filepath.Join(t.TempDir(), "out")
	r, err := s.Fetch(t.Context(), id, out, share.FetchOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("fetched %d bytes that differ from the %d published", len(got), len(want))
	}
	return r
}

func TestPublishFetch(t *testing.T) {
	a := &approveAll{}
	s := open(t, share.Config{Confirm: a.confirm})
	for i, size := range []int64{1, 64<<10 - 1, 64 << 10, 1<<20 + 3} {
		path, data := writeRandom(t, size)
		d, err := s.Publish(t.Context(), path, share.PublishOptions{Description: "test"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if d.ID != uint64(i+1) || d.Size != size || d.Status != "published" || d.TxHash == "" {
			t.Fatalf("published %+v", d)
		}
		r := fetchEqual(t, s, d.ID, data)
		if r.SHA256 != d.SHA256 || r.Name != filepath.Base(path) {
			t.Fatalf("fetch result %+v for %+v", r, d)
		}
	}
	sum := a.last.Load()
	if a.n.Load() != 4 || sum.Action != "Publish dataset" || sum.Fee.Sign() <= 0 || sum.Gas == 0 || sum.Balance.Sign() <= 0 {
		t.Fatalf("approvals %d, last summary %+v", a.n.Load(), sum)
	}
	list, err := s.List(t.Context())
	if err != nil || len(list) != 4 || list[0].ID != 4 || list[3].ID != 1 {
		t.Fatalf("List = %+v, %v", list, err)
	}
}

// TestRejectThenApprove: a rejected publish records nothing on chain; publishing the same file
// again continues with the same dataset key and creates exactly one dataset.
func TestRejectThenApprove(t *testing.T) {
	dir := t.TempDir()
	path, data := writeRandom(t, 100_000)
	reject := func(context.Context, approval.Summary) (bool, error) { return false, nil }
	s := open(t, share.Config{DataDir: dir, Confirm: reject})
	_, err := s.Publish(t.Context(), path, share.PublishOptions{}, nil)
	if !errors.Is(err, approval.ErrRejected) {
		t.Fatalf("rejected publish error = %v", err)
	}
	list, _ := s.List(t.Context())
	if len(list) != 1 || list[0].Status != "failed" || list[0].ID != 0 {
		t.Fatalf("after rejection List = %+v", list)
	}
	st, _ := s.Status(t.Context())
	s.Close()

	s = open(t, share.Config{DataDir: dir})
	st2, _ := s.Status(t.Context())
	if st2.Block != st.Block {
		t.Fatalf("the rejected publish changed the chain: block %d → %d", st.Block, st2.Block)
	}
	d, err := s.Publish(t.Context(), path, share.PublishOptions{}, nil)
	if err != nil || d.ID != 1 {
		t.Fatalf("second publish = %+v, %v", d, err)
	}
	list, _ = s.List(t.Context())
	if len(list) != 1 || list[0].ID != 1 || list[0].Status != "published" {
		t.Fatalf("List = %+v", list)
	}
	fetchEqual(t, s, 1, data)
}

// TestTwoNodes: profile A publishes; profile B, with the same account restored from a key
// backup and its own IPFS node, fetches the payload from A over bitswap on loopback.
func TestTwoNodes(t *testing.T) {
	a := open(t, share.Config{})
	path, data := writeRandom(t, 3<<20)
	d, err := a.Publish(t.Context(), path, share.PublishOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}

	bdir := t.TempDir()
	var backup bytes.Buffer
	ka, err := keys.Open(t.Context(), keys.Options{DataDir: a.DataDir(), Passphrase: pass, NoKeyring: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := ka.Export(&backup, passphrase); err != nil {
		t.Fatal(err)
	}
	if _, err := keys.Import(t.Context(), keys.Options{DataDir: bdir, Passphrase: pass, NoKeyring: true}, &backup, passphrase, false); err != nil {
		t.Fatal(err)
	}
	n := a.Network()
	if err := config.SaveSettings(bdir, config.Settings{Network: "custom", Networks: map[string]config.NetworkSettings{
		"custom": {RPCURL: n.RPCURL, ChainID: n.ChainID, Contract: n.Contract.Hex()},
	}}); err != nil {
		t.Fatal(err)
	}
	b := open(t, share.Config{DataDir: bdir})
	addrs, err := a.IPFSAddrs(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if err := b.ConnectIPFS(t.Context(), addrs); err != nil {
		t.Fatal(err)
	}
	fetchEqual(t, b, d.ID, data)
	st, _ := b.Status(t.Context())
	if st.IPFSPeers < 1 || st.Account != a.Account().Hex() {
		t.Fatalf("B status = %+v", st)
	}
}

// TestDaemon uses a real `ipfs daemon` on loopback through the RPC client.
func TestDaemon(t *testing.T) {
	api, _ := ipfstest.StartDaemon(t)
	s := open(t, share.Config{IPFSMode: "auto", IPFSAPI: api})
	st, err := s.Status(t.Context())
	if err != nil || st.IPFSMode != "daemon" {
		t.Fatalf("status = %+v, %v", st, err)
	}
	path, data := writeRandom(t, 2<<20)
	d, err := s.Publish(t.Context(), path, share.PublishOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	fetchEqual(t, s, d.ID, data)
}

// progressHook calls fn once, when progress first passes half of the bytes.
type progressHook struct {
	fn   func()
	done bool
}

func (h *progressHook) Stage(share.Stage) {}
func (h *progressHook) Bytes(done, total int64) {
	if !h.done && total > 0 && done > total/2 {
		h.done = true
		h.fn()
	}
}

// TestDaemonVanishes kills the IPFS daemon in the middle of a publish: the publish fails with a
// clear error and nothing reaches the chain.
func TestDaemonVanishes(t *testing.T) {
	d := ipfstest.NewDaemon(t)
	s := open(t, share.Config{IPFSMode: "daemon", IPFSAPI: d.API})
	before, _ := s.Status(t.Context())
	path, _ := writeRandom(t, 64<<20)
	_, err := s.Publish(t.Context(), path, share.PublishOptions{}, &progressHook{fn: d.Kill})
	if !errors.Is(err, ipfs.ErrUnavailable) {
		t.Fatalf("publish with the daemon killed: %v", err)
	}
	list, _ := s.List(t.Context())
	if len(list) != 1 || list[0].ID != 0 || list[0].Status != "failed" {
		t.Fatalf("List = %+v", list)
	}
	after, _ := s.Status(t.Context())
	if after.Block != before.Block {
		t.Fatalf("the chain moved from block %d to %d", before.Block, after.Block)
	}
}

// TestNoSecretsOnDisk publishes and fetches, then searches every file under the data directory
// for the device key, the encryption identity and the dataset key, raw and encoded.
func TestNoSecretsOnDisk(t *testing.T) {
	dir := t.TempDir()
	s := open(t, share.Config{DataDir: dir})
	path, data := writeRandom(t, 200_000)
	d, err := s.Publish(t.Context(), path, share.PublishOptions{Name: "secret test"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	fetchEqual(t, s, d.ID, data)
	s.Close()

	k, err := keys.Open(t.Context(), keys.Options{DataDir: dir, Passphrase: pass, NoKeyring: true})
	if err != nil {
		t.Fatal(err)
	}
	db, err := index.Open(indexPath(t, dir))
	if err != nil {
		t.Fatal(err)
	}
	jobs, err := db.Jobs(t.Context(), k.DeviceAddress().Hex())
	db.Close()
	if err != nil || len(jobs) != 1 {
		t.Fatalf("jobs = %v, %v", jobs, err)
	}
	dk, err := seal.OpenKey(jobs[0].KeyEnvelope, k.Identity())
	if err != nil {
		t.Fatal(err)
	}
	device := crypto.FromECDSA(k.DeviceKey())
	secrets := map[string][]byte{
		"device key":               device,
		"device key (hex)":         []byte(hex.EncodeToString(device)),
		"identity":                 []byte(k.Identity().String()),
		"identity (lower case)":    []byte(strings.ToLower(k.Identity().String())),
		"dataset key":              []byte(dk.Secret()),
		"dataset key (lower case)": []byte(strings.ToLower(dk.Secret())),
	}
	files := 0
	err = filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil || !e.Type().IsRegular() {
			return err
		}
		files++
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for what, sec := range secrets {
			if bytes.Contains(b, sec) {
				t.Errorf("%s found in %s", what, p)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 10 {
		t.Fatalf("only %d files searched", files)
	}
}

func indexPath(t *testing.T, dir string) string {
	m, err := filepath.Glob(filepath.Join(dir, "index", "*.db"))
	if err != nil || len(m) != 1 {
		t.Fatalf("index databases: %v, %v", m, err)
	}
	return m[0]
}

// TestListensOnlyOnLoopback checks every socket this process listens on (the local chain's
// RPC, the IPFS node, anything else) while a profile is open.
func TestListensOnlyOnLoopback(t *testing.T) {
	s := open(t, share.Config{})
	if _, err := s.Status(t.Context()); err != nil {
		t.Fatal(err)
	}
	inodes := socketInodes(t)
	n := 0
	for _, f := range []string{"tcp", "tcp6", "udp", "udp6"} {
		for _, l := range listening(t, "/proc/net/"+f) {
			if !inodes[l.inode] {
				continue
			}
			n++
			if !l.loopback {
				t.Errorf("listening on %s (%s)", l.addr, f)
			}
		}
	}
	if n < 2 {
		t.Fatalf("found %d listening sockets; expected at least the chain RPC and the IPFS swarm", n)
	}
}

type sock struct {
	addr     string
	inode    string
	loopback bool
}

// listening parses /proc/net/{tcp,udp}[6]: TCP sockets in LISTEN state and all UDP sockets.
func listening(t *testing.T, path string) []sock {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []sock
	sc := bufio.NewScanner(f)
	sc.Scan() // header
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 10 {
			continue
		}
		local, state, inode := fields[1], fields[3], fields[9]
		if strings.HasPrefix(path, "/proc/net/tcp") && state != "0A" {
			continue
		}
		host := strings.Split(local, ":")[0]
		loop := host == "0100007F" || host == "00000000000000000000000001000000"
		out = append(out, sock{addr: local, inode: inode, loopback: loop})
	}
	return out
}

// socketInodes are the sockets open in this process.
func socketInodes(t *testing.T) map[string]bool {
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, e := range ents {
		l, err := os.Readlink(filepath.Join("/proc/self/fd", e.Name()))
		if err == nil && strings.HasPrefix(l, "socket:[") {
			out[strings.TrimSuffix(strings.TrimPrefix(l, "socket:["), "]")] = true
		}
	}
	return out
}
