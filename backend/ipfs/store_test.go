package ipfs_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ipfs/go-cid"
	ma "github.com/multiformats/go-multiaddr"
	manet "github.com/multiformats/go-multiaddr/net"
	mh "github.com/multiformats/go-multihash"

	"github.com/datashare/datashare/backend/ipfs"
	"github.com/datashare/datashare/backend/ipfs/ipfstest"
)

// stream is n deterministic pseudo-random bytes, generated as they are read.
func stream(seed uint64, n int64) io.Reader {
	var s [32]byte
	s[0], s[1] = byte(seed), byte(seed>>8)
	return io.LimitReader(rand.NewChaCha8(s), n)
}

func data(seed uint64, n int) []byte {
	b, err := io.ReadAll(stream(seed, int64(n)))
	if err != nil {
		panic(err)
	}
	return b
}

func testContext(t *testing.T, d time.Duration) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

// readAll opens c on s and returns its bytes, checking the announced size.
func readAll(t *testing.T, ctx context.Context, s *ipfs.Store, c cid.Cid) []byte {
	t.Helper()
	r, size, err := s.Open(ctx, c)
	if err != nil {
		t.Fatalf("Open(%s): %v", c, err)
	}
	defer r.Close()
	got, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("reading %s: %v", c, err)
	}
	if int64(len(got)) != size {
		t.Fatalf("read %d bytes, Open announced %d", len(got), size)
	}
	return got
}

func pinName(t *testing.T, ctx context.Context, s *ipfs.Store, c cid.Cid) string {
	t.Helper()
	pins, err := s.Pins(ctx)
	if err != nil {
		t.Fatalf("Pins: %v", err)
	}
	for _, p := range pins {
		if p.Cid.Equals(c) {
			return p.Name
		}
	}
	t.Fatalf("%s is not among the recursive pins %v", c, pins)
	return ""
}

// unusedAPIAddr is a loopback address nothing listens on.
func unusedAPIAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	return fmt.Sprintf("/ip4/127.0.0.1/tcp/%d", port)
}

func TestEmbeddedAddOpen(t *testing.T) {
	ctx := testContext(t, time.Minute)
	s := ipfstest.NewEmbedded(t)
	if s.Mode() != ipfs.ModeEmbedded {
		t.Fatalf("Mode() = %s, want embedded", s.Mode())
	}
	tests := []struct {
		name string
		size int
		want string // CID, when known independently
	}{
		// `ipfs add --cid-version 1 --raw-leaves` of an empty file.
		{"empty", 0, "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku"},
		{"one byte", 1, ""},
		{"several MiB", 3<<20 + 12345, ""},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := data(uint64(i), tt.size)
			c, err := s.Add(ctx, bytes.NewReader(in), tt.name)
			if err != nil {
				t.Fatalf("Add: %v", err)
			}
			if c.Version() != 1 {
				t.Errorf("CID %s is version %d, want 1", c, c.Version())
			}
			if tt.want != "" && c.String() != tt.want {
				t.Errorf("CID %s, want %s", c, tt.want)
			}
			if pinned, err := s.IsPinned(ctx, c); err != nil || !pinned {
				t.Errorf("IsPinned after Add = %v, %v; want true", pinned, err)
			}
			if got := pinName(t, ctx, s, c); got != tt.name {
				t.Errorf("pin name %q, want %q", got, tt.name)
			}
			if got := readAll(t, ctx, s, c); !bytes.Equal(got, in) {
				t.Errorf("read back %d bytes that differ from the %d added", len(got), len(in))
			}
			again, err := s.Add(ctx, bytes.NewReader(in), tt.name+" again")
			if err != nil {
				t.Fatalf("second Add: %v", err)
			}
			if !again.Equals(c) {
				t.Errorf("same bytes gave %s, then %s", c, again)
			}
		})
	}
}

func TestEmbeddedUnpin(t *testing.T) {
	ctx := testContext(t, time.Minute)
	s := ipfstest.NewEmbedded(t)
	c, err := s.Add(ctx, stream(7, 1<<20), "to unpin")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Unpin(ctx, c); err != nil {
		t.Fatalf("Unpin: %v", err)
	}
	if pinned, err := s.IsPinned(ctx, c); err != nil || pinned {
		t.Errorf("IsPinned after Unpin = %v, %v; want false", pinned, err)
	}
}

func TestFetchBetweenEmbeddedNodes(t *testing.T) {
	ctx := testContext(t, time.Minute)
	a, b := ipfstest.NewEmbedded(t), ipfstest.NewEmbedded(t)
	in := data(42, 5<<20+7)
	c, err := a.Add(ctx, bytes.NewReader(in), "published")
	if err != nil {
		t.Fatal(err)
	}
	hints, err := a.Addrs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Connect(ctx, hints); err != nil {
		t.Fatalf("Connect(%v): %v", hints, err)
	}
	if n, err := b.Peers(ctx); err != nil || n < 1 {
		t.Errorf("Peers after Connect = %d, %v; want ≥ 1", n, err)
	}
	var reports, last int
	err = b.Fetch(ctx, c, "fetched", func(blocks int) {
		reports++
		if blocks < last {
			t.Errorf("progress went back from %d to %d blocks", last, blocks)
		}
		last = blocks
	})
	if err != nil {
		t.Fatalf("Fetch: %v", err)
	}
	if reports == 0 || last < 2 {
		t.Errorf("progress reported %d times, last %d blocks; want at least once, ≥ 2 blocks", reports, last)
	}
	if pinned, err := b.IsPinned(ctx, c); err != nil || !pinned {
		t.Errorf("IsPinned on B = %v, %v; want true", pinned, err)
	}
	if got := pinName(t, ctx, b, c); got != "fetched" {
		t.Errorf("pin name on B %q, want %q", got, "fetched")
	}
	if got := readAll(t, ctx, b, c); !bytes.Equal(got, in) {
		t.Error("B read different bytes than A added")
	}
}

func TestLoopbackListensOnlyOnLoopback(t *testing.T) {
	ctx := testContext(t, time.Minute)
	s := ipfstest.NewEmbedded(t)
	listen, err := s.ListenAddrs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	hints, err := s.Addrs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(listen) == 0 || len(hints) == 0 {
		t.Fatalf("listen addrs %v, addrs %v: want some of each", listen, hints)
	}
	for _, a := range append(listen, hints...) {
		m, err := ma.NewMultiaddr(a)
		if err != nil {
			t.Fatal(err)
		}
		if !manet.IsIPLoopback(m) {
			t.Errorf("%s is not a loopback address", a)
		}
	}
	for _, a := range hints {
		if !strings.HasSuffix(a, "/p2p/"+s.PeerID()) {
			t.Errorf("provider hint %s does not end in /p2p/%s", a, s.PeerID())
		}
	}
}

func TestOpenSameRepoTwice(t *testing.T) {
	ctx := testContext(t, time.Minute)
	dir := t.TempDir()
	opts := ipfs.Options{RepoPath: dir, Mode: ipfs.ModeEmbedded, Network: ipfs.Loopback}
	s1, err := ipfs.Open(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	s2, err := ipfs.Open(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	if s1.PeerID() != s2.PeerID() {
		t.Errorf("peer ids %s and %s for one repository", s1.PeerID(), s2.PeerID())
	}
	public := opts
	public.Network = ipfs.Public
	if s, err := ipfs.Open(ctx, public); err == nil {
		s.Close()
		t.Error("opening a repository in use on loopback for the public network succeeded")
	}
	if err := s1.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := s1.Add(ctx, stream(1, 10), "x"); !errors.Is(err, ipfs.ErrClosed) {
		t.Errorf("Add after Close: %v, want ErrClosed", err)
	}
	c, err := s2.Add(ctx, stream(1, 1000), "still running")
	if err != nil {
		t.Fatalf("Add on the second store after closing the first: %v", err)
	}
	if err := s2.Close(); err != nil {
		t.Fatal(err)
	}

	s3, err := ipfs.Open(ctx, opts)
	if err != nil {
		t.Fatalf("reopening: %v", err)
	}
	defer s3.Close()
	if s3.PeerID() != s1.PeerID() {
		t.Errorf("peer id changed across restarts: %s, then %s", s1.PeerID(), s3.PeerID())
	}
	if pinned, err := s3.IsPinned(ctx, c); err != nil || !pinned {
		t.Errorf("IsPinned after restart = %v, %v; want true", pinned, err)
	}
}

func TestConnect(t *testing.T) {
	ctx := testContext(t, time.Minute)
	s := ipfstest.NewEmbedded(t)
	self, err := s.Addrs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	gone := ipfstest.OpenEmbedded(t, ipfs.Options{})
	goneAddrs, err := gone.Addrs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	gone.Close()

	tests := []struct {
		name    string
		addrs   []string
		wantErr string // substring; "" means success
	}{
		{"nothing", nil, ""},
		{"only self", self, ""},
		{"garbage", []string{"not an address"}, `"not an address"`},
		{"no peer id", []string{"/ip4/127.0.0.1/tcp/4001"}, `"/ip4/127.0.0.1/tcp/4001"`},
		{"good and bad", append([]string{"/ip4/127.0.0.1/tcp/1/p2p/nope"}, self...), `"/ip4/127.0.0.1/tcp/1/p2p/nope"`},
		{"peer gone", goneAddrs, "no peer reached"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			err := s.Connect(ctx, tt.addrs)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("Connect: %v", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Errorf("Connect: %v, want an error containing %s", err, tt.wantErr)
			}
			if d := time.Since(start); d > 20*time.Second {
				t.Errorf("Connect took %v", d)
			}
		})
	}
}

// missing is a CID no node has.
func missing(t *testing.T) cid.Cid {
	h, err := mh.Sum([]byte(t.Name()+time.Now().String()), mh.SHA2_256, -1)
	if err != nil {
		t.Fatal(err)
	}
	return cid.NewCidV1(cid.Raw, h)
}

func TestStalledTransfers(t *testing.T) {
	s := ipfstest.OpenEmbedded(t, ipfs.Options{StallTimeout: 300 * time.Millisecond})

	t.Run("fetch", func(t *testing.T) {
		start := time.Now()
		err := s.Fetch(testContext(t, time.Minute), missing(t), "x", nil)
		if !errors.Is(err, ipfs.ErrStalled) {
			t.Errorf("Fetch of a missing CID: %v, want ErrStalled", err)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("Fetch gave up after %v", d)
		}
	})
	t.Run("open", func(t *testing.T) {
		_, _, err := s.Open(testContext(t, time.Minute), missing(t))
		if !errors.Is(err, ipfs.ErrStalled) {
			t.Errorf("Open of a missing CID: %v, want ErrStalled", err)
		}
	})
	t.Run("cancelled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(50*time.Millisecond, cancel)
		err := s.Fetch(ctx, missing(t), "x", nil)
		if !errors.Is(err, context.Canceled) || errors.Is(err, ipfs.ErrStalled) {
			t.Errorf("Fetch with a cancelled context: %v, want context.Canceled", err)
		}
	})
}

func TestAddInputError(t *testing.T) {
	s := ipfstest.NewEmbedded(t)
	boom := errors.New("disk on fire")
	_, err := s.Add(testContext(t, time.Minute), io.MultiReader(stream(3, 1<<20), iotestErr{boom}), "x")
	if !errors.Is(err, boom) {
		t.Errorf("Add with a failing input: %v, want it to wrap %v", err, boom)
	}
}

type iotestErr struct{ err error }

func (r iotestErr) Read([]byte) (int, error) { return 0, r.err }

func TestDaemon(t *testing.T) {
	d := ipfstest.NewDaemon(t)
	ctx := testContext(t, 2*time.Minute)
	repo := t.TempDir()
	in := data(9, 3<<20+99)

	open := func(t *testing.T, opts ipfs.Options) *ipfs.Store {
		t.Helper()
		opts.RepoPath = repo
		opts.Network = ipfs.Loopback
		s, err := ipfs.Open(ctx, opts)
		if err != nil {
			t.Fatalf("Open(%+v): %v", opts, err)
		}
		t.Cleanup(func() { s.Close() })
		if s.Mode() != ipfs.ModeDaemon {
			t.Fatalf("Mode() = %s, want daemon", s.Mode())
		}
		return s
	}
	s := open(t, ipfs.Options{APIAddr: d.API})

	t.Run("loopback only", func(t *testing.T) {
		if n, err := s.Peers(ctx); err != nil || n != 0 {
			t.Errorf("Peers of a fresh loopback daemon = %d, %v; want 0", n, err)
		}
		listen, err := s.ListenAddrs(ctx)
		if err != nil {
			t.Fatal(err)
		}
		hints, err := s.Addrs(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range append(append(listen, hints...), d.API) {
			if m, err := ma.NewMultiaddr(a); err != nil || !manet.IsIPLoopback(m) {
				t.Errorf("daemon address %s is not on loopback (%v)", a, err)
			}
		}
		if _, err := os.Stat(filepath.Join(d.Path, "gateway")); err == nil {
			t.Error("the daemon runs a gateway")
		}
	})

	t.Run("discovery", func(t *testing.T) {
		t.Setenv("HOME", t.TempDir())
		t.Setenv("IPFS_PATH", d.Path)
		found := open(t, ipfs.Options{})
		if found.PeerID() != s.PeerID() {
			t.Errorf("found daemon %s, want %s", found.PeerID(), s.PeerID())
		}
	})
	t.Run("URL", func(t *testing.T) {
		m, _ := ma.NewMultiaddr(d.API)
		_, host, _ := manet.DialArgs(m)
		open(t, ipfs.Options{APIAddr: "http://" + host + "/", Mode: ipfs.ModeDaemon})
	})

	var added cid.Cid
	t.Run("add and read", func(t *testing.T) {
		c, err := s.Add(ctx, bytes.NewReader(in), "daemon add")
		if err != nil {
			t.Fatalf("Add: %v", err)
		}
		added = c
		if pinned, err := s.IsPinned(ctx, c); err != nil || !pinned {
			t.Errorf("IsPinned = %v, %v; want true", pinned, err)
		}
		if got := pinName(t, ctx, s, c); got != "daemon add" {
			t.Errorf("pin name %q, want %q", got, "daemon add")
		}
		if got := readAll(t, ctx, s, c); !bytes.Equal(got, in) {
			t.Error("read back different bytes")
		}
		e := ipfstest.NewEmbedded(t)
		ec, err := e.Add(ctx, bytes.NewReader(in), "embedded add")
		if err != nil {
			t.Fatal(err)
		}
		if !ec.Equals(c) {
			t.Errorf("embedded node gave %s, daemon %s for the same bytes", ec, c)
		}
	})

	t.Run("daemon fetches from embedded", func(t *testing.T) {
		a := ipfstest.NewEmbedded(t)
		in := data(10, 4<<20+1)
		c, err := a.Add(ctx, bytes.NewReader(in), "on A")
		if err != nil {
			t.Fatal(err)
		}
		hints, err := a.Addrs(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Connect(ctx, hints); err != nil {
			t.Fatalf("Connect: %v", err)
		}
		last := 0
		if err := s.Fetch(ctx, c, "from A", func(n int) { last = n }); err != nil {
			t.Fatalf("Fetch: %v", err)
		}
		if last < 2 {
			t.Errorf("last progress %d blocks, want ≥ 2", last)
		}
		if got := pinName(t, ctx, s, c); got != "from A" {
			t.Errorf("pin name %q, want %q", got, "from A")
		}
		if got := readAll(t, ctx, s, c); !bytes.Equal(got, in) {
			t.Error("read back different bytes")
		}
	})

	t.Run("embedded fetches from daemon", func(t *testing.T) {
		if !added.Defined() {
			t.Skip("add failed")
		}
		b := ipfstest.NewEmbedded(t)
		hints, err := s.Addrs(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if err := b.Connect(ctx, hints); err != nil {
			t.Fatalf("Connect(%v): %v", hints, err)
		}
		if err := b.Fetch(ctx, added, "from daemon", nil); err != nil {
			t.Fatalf("Fetch: %v", err)
		}
		if got := readAll(t, ctx, b, added); !bytes.Equal(got, in) {
			t.Error("read back different bytes")
		}
	})
}

// signalReader closes reached once more than after bytes were read.
type signalReader struct {
	r       io.Reader
	n       int64
	after   int64
	reached chan struct{}
}

func (s *signalReader) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	s.n += int64(n)
	if s.n > s.after && s.after >= 0 {
		close(s.reached)
		s.after = -1
	}
	return n, err
}

func TestDaemonKilledMidTransfer(t *testing.T) {
	const bound = 10 * time.Second // how soon the failure must surface

	t.Run("add", func(t *testing.T) {
		d := ipfstest.NewDaemon(t)
		ctx := testContext(t, time.Minute)
		s, err := ipfs.Open(ctx, ipfs.Options{Mode: ipfs.ModeDaemon, APIAddr: d.API})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		src := &signalReader{r: stream(11, 64<<30), after: 32 << 20, reached: make(chan struct{})}
		done := make(chan error, 1)
		go func() {
			_, err := s.Add(ctx, src, "never finished")
			done <- err
		}()
		select {
		case <-src.reached:
		case err := <-done:
			t.Fatalf("Add ended before the daemon was killed: %v", err)
		case <-ctx.Done():
			t.Fatal("the daemon did not take 32 MiB")
		}
		d.Kill()
		killed := time.Now()
		select {
		case err := <-done:
			if !errors.Is(err, ipfs.ErrUnavailable) {
				t.Errorf("Add: %v, want ErrUnavailable", err)
			}
			t.Logf("Add failed %v after the kill: %v", time.Since(killed).Round(time.Millisecond), err)
		case <-time.After(bound):
			t.Fatalf("Add still running %v after the daemon was killed", bound)
		}
	})

	t.Run("fetch", func(t *testing.T) {
		d := ipfstest.NewDaemon(t)
		ctx := testContext(t, time.Minute)
		s, err := ipfs.Open(ctx, ipfs.Options{Mode: ipfs.ModeDaemon, APIAddr: d.API})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		a := ipfstest.NewEmbedded(t)
		c, err := a.Add(ctx, stream(13, 256<<20), "big")
		if err != nil {
			t.Fatal(err)
		}
		hints, err := a.Addrs(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Connect(ctx, hints); err != nil {
			t.Fatal(err)
		}
		var killed time.Time
		err = s.Fetch(ctx, c, "never finished", func(blocks int) {
			if killed.IsZero() {
				d.Kill() // at the first report, half a second in
				killed = time.Now()
			}
		})
		if killed.IsZero() {
			t.Fatalf("Fetch ended before any progress report: %v", err)
		}
		if !errors.Is(err, ipfs.ErrUnavailable) {
			t.Errorf("Fetch: %v, want ErrUnavailable", err)
		}
		if d := time.Since(killed); d > bound {
			t.Errorf("Fetch failed only %v after the daemon was killed", d)
		}
		t.Logf("Fetch failed %v after the kill: %v", time.Since(killed).Round(time.Millisecond), err)
	})

	t.Run("read", func(t *testing.T) {
		d := ipfstest.NewDaemon(t)
		ctx := testContext(t, time.Minute)
		s, err := ipfs.Open(ctx, ipfs.Options{Mode: ipfs.ModeDaemon, APIAddr: d.API})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		const size = 64 << 20
		c, err := s.Add(ctx, stream(12, size), "to read")
		if err != nil {
			t.Fatal(err)
		}
		r, n, err := s.Open(ctx, c)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		if n != size {
			t.Fatalf("Open announced %d bytes, want %d", n, size)
		}
		if _, err := io.CopyN(io.Discard, r, 1<<20); err != nil {
			t.Fatal(err)
		}
		d.Kill()
		killed := time.Now()
		done := make(chan error, 1)
		var got int64
		go func() {
			var err error
			got, err = io.Copy(io.Discard, r)
			done <- err
		}()
		select {
		case err := <-done:
			if !errors.Is(err, ipfs.ErrUnavailable) {
				t.Errorf("reading on: %v after %d more bytes, want ErrUnavailable", err, got)
			}
			t.Logf("read failed %v after the kill, %d bytes short: %v", time.Since(killed).Round(time.Millisecond), size-(1<<20)-got, err)
		case <-time.After(bound):
			t.Fatalf("read still running %v after the daemon was killed", bound)
		}

		if _, err := s.IsPinned(ctx, c); !errors.Is(err, ipfs.ErrUnavailable) {
			t.Errorf("IsPinned with the daemon gone: %v, want ErrUnavailable", err)
		}
	})
}

func TestAutoWithoutDaemon(t *testing.T) {
	t.Setenv("HOME", t.TempDir())
	stale := t.TempDir()
	if err := os.WriteFile(filepath.Join(stale, "api"), []byte(unusedAPIAddr(t)), 0o600); err != nil {
		t.Fatal(err)
	}
	// On the loopback network, discovery ignores ~/.ipfs and port 5001, so a
	// daemon the developer runs does not get in the way.

	tests := []struct {
		name     string
		ipfsPath string
		opts     ipfs.Options
		wantErr  error
	}{
		{"unused APIAddr", "", ipfs.Options{APIAddr: unusedAPIAddr(t)}, nil},
		{"stale api file", stale, ipfs.Options{}, nil},
		{"nothing to find", "", ipfs.Options{}, nil},
		{"daemon mode", "", ipfs.Options{Mode: ipfs.ModeDaemon, APIAddr: unusedAPIAddr(t)}, ipfs.ErrUnavailable},
		{"daemon mode discovering", stale, ipfs.Options{Mode: ipfs.ModeDaemon}, ipfs.ErrUnavailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("IPFS_PATH", tt.ipfsPath)
			tt.opts.RepoPath = t.TempDir()
			tt.opts.Network = ipfs.Loopback
			start := time.Now()
			s, err := ipfs.Open(testContext(t, time.Minute), tt.opts)
			elapsed := time.Since(start)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Errorf("Open: %v, want %v", err, tt.wantErr)
				}
				t.Log(err)
				if s != nil {
					s.Close()
				}
			} else {
				if err != nil {
					t.Fatalf("Open: %v", err)
				}
				defer s.Close()
				if s.Mode() != ipfs.ModeEmbedded {
					t.Errorf("Mode() = %s, want embedded", s.Mode())
				}
			}
			if elapsed > 3*time.Second {
				t.Errorf("Open took %v, want < 3 s", elapsed)
			}
		})
	}
}

func TestBadAPIAddr(t *testing.T) {
	_, err := ipfs.Open(testContext(t, time.Minute), ipfs.Options{APIAddr: "5001", RepoPath: t.TempDir(), Network: ipfs.Loopback})
	if err == nil || !strings.Contains(err.Error(), `"5001"`) {
		t.Errorf("Open with APIAddr 5001: %v, want an error naming it", err)
	}
}

func TestRepoLockedByAnotherProcess(t *testing.T) {
	d := ipfstest.NewDaemon(t)
	s, err := ipfs.Open(testContext(t, time.Minute), ipfs.Options{Mode: ipfs.ModeEmbedded, RepoPath: d.Path, Network: ipfs.Loopback})
	if err == nil {
		s.Close()
		t.Fatal("opened a repository a running daemon holds")
	}
	if !errors.Is(err, ipfs.ErrRepoLocked) {
		t.Errorf("Open: %v, want ErrRepoLocked", err)
	}
	t.Log(err)
}

func TestReadWhole(t *testing.T) {
	// The reader reports io.EOF only once every announced byte was read.
	ctx := testContext(t, time.Minute)
	s := ipfstest.NewEmbedded(t)
	in := data(5, 700<<10)
	c, err := s.Add(ctx, bytes.NewReader(in), "x")
	if err != nil {
		t.Fatal(err)
	}
	r, _, err := s.Open(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	h := sha256.New()
	if _, err := io.CopyBuffer(h, r, make([]byte, 1000)); err != nil {
		t.Fatal(err)
	}
	r.Close()
	if want := sha256.Sum256(in); !bytes.Equal(h.Sum(nil), want[:]) {
		t.Error("hash of what was read differs")
	}
	if _, err := r.Read(make([]byte, 1)); err == nil || err == io.EOF {
		t.Errorf("Read after Close: %v, want an error", err)
	}
}

func TestCancelAdd(t *testing.T) {
	s := ipfstest.NewEmbedded(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	src := &signalReader{r: stream(31, 64<<30), after: 16 << 20, reached: make(chan struct{})}
	done := make(chan error, 1)
	go func() {
		_, err := s.Add(ctx, src, "x")
		done <- err
	}()
	<-src.reached
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Add: %v, want context.Canceled", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Add still running 10 s after its context was cancelled")
	}
}
