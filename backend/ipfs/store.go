package ipfs

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ipfs/boxo/files"
	"github.com/ipfs/boxo/ipld/merkledag"
	"github.com/ipfs/boxo/path"
	"github.com/ipfs/go-cid"
	"github.com/ipfs/kubo/client/rpc"
	iface "github.com/ipfs/kubo/core/coreiface"
	"github.com/ipfs/kubo/core/coreiface/options"
	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"
)

// Mode says which Kubo a Store talks to.
type Mode string

const (
	// ModeAuto uses a running daemon if one answers, else the embedded node.
	ModeAuto Mode = "auto"
	// ModeEmbedded runs a Kubo node inside the process.
	ModeEmbedded Mode = "embedded"
	// ModeDaemon uses a running Kubo daemon through its RPC API.
	ModeDaemon Mode = "daemon"
)

// Network is the network the embedded node joins.
type Network int

const (
	// Public is the public IPFS network (Kubo's defaults, DHT client).
	Public Network = iota
	// Loopback confines the node to 127.0.0.1, for tests: no bootstrap
	// peers, no mDNS, no DHT, no AutoNAT, relay or port mapping, no HTTP
	// retrieval, providing off. Peers are reached only through Connect.
	// Daemon discovery looks only at $IPFS_PATH: a daemon in ~/.ipfs or on
	// port 5001 is the user's own, on the public network.
	Loopback
)

func (n Network) String() string {
	switch n {
	case Public:
		return "public"
	case Loopback:
		return "loopback"
	}
	return fmt.Sprintf("Network(%d)", int(n))
}

// Defaults for zero Options fields.
const (
	DefaultGCInterval   = time.Hour
	DefaultMaxMemory    = 512 << 20
	DefaultStallTimeout = 2 * time.Minute
)

const (
	probeTimeout    = 2 * time.Second  // a daemon must answer Open's probe within this
	callTimeout     = 30 * time.Second // bound on calls that only ask something
	dialTimeout     = 15 * time.Second // bound on dialing one peer in Connect
	shutdownTimeout = 10 * time.Second // bound on stopping the embedded node
	progressEvery   = 200 * time.Millisecond
	maxPinNameBytes = 255 // Kubo's limit
)

// Options configure Open. The zero value uses a daemon if one runs, else
// needs RepoPath for the embedded node.
type Options struct {
	// RepoPath is the embedded node's repository, created if missing. It is
	// the application's own, never ~/.ipfs.
	RepoPath string
	// Mode: ModeAuto ("" too), ModeEmbedded or ModeDaemon.
	Mode Mode
	// APIAddr is the daemon's RPC API as a multiaddr (/ip4/127.0.0.1/tcp/5001)
	// or URL (http://127.0.0.1:5001). Empty: look in $IPFS_PATH/api,
	// ~/.ipfs/api, then /ip4/127.0.0.1/tcp/5001 (Loopback: $IPFS_PATH only).
	APIAddr string
	// Network the embedded node joins.
	Network Network
	// Listen lets other computers connect to the embedded node on the public network (Kubo's
	// usual swarm listeners on every interface, port 4001). Off by default: the node listens on
	// loopback only and still fetches and serves over the connections it opens itself, and
	// through relays. Loopback ignores it.
	Listen bool
	// LANDiscovery announces the embedded public-network node on the local network and finds
	// peers there (mDNS: UDP port 5353 on every interface). Off by default. Loopback ignores it.
	LANDiscovery bool
	// GCInterval is how often the embedded node checks whether its
	// repository outgrew Datastore.StorageMax and collects unpinned blocks.
	// 0 means DefaultGCInterval; negative disables it.
	GCInterval time.Duration
	// MaxMemory caps the embedded node's libp2p resource manager, in bytes.
	// 0 means DefaultMaxMemory.
	MaxMemory int64
	// StallTimeout fails a transfer (Add, Fetch, reading from Open) that
	// makes no progress for this long. 0 means DefaultStallTimeout.
	StallTimeout time.Duration
}

func (o Options) withDefaults() Options {
	if o.Mode == "" {
		o.Mode = ModeAuto
	}
	switch {
	case o.GCInterval == 0:
		o.GCInterval = DefaultGCInterval
	case o.GCInterval < 0:
		o.GCInterval = 0 // Kubo's "disabled"
	}
	if o.MaxMemory <= 0 {
		o.MaxMemory = DefaultMaxMemory
	}
	if o.StallTimeout <= 0 {
		o.StallTimeout = DefaultStallTimeout
	}
	return o
}

// Store is DataShare's view of IPFS: add, fetch and read files, all pinned
// under a name. Its methods are safe for concurrent use.
type Store struct {
	mode   Mode
	api    iface.CoreAPI
	peerID peer.ID
	stall  time.Duration

	// daemon only
	rpc       *rpc.HttpApi
	transport *http.Transport

	// embedded only
	shared *sharedNode

	unstarted bool // made by Unstarted

	closed    atomic.Bool
	closeOnce sync.Once
	closeErr  error
}

// Open connects to a daemon or starts the embedded node, as opts.Mode says.
// ctx bounds the opening only; the Store lives until Close.
func Open(ctx context.Context, opts Options) (*Store, error) {
	opts = opts.withDefaults()
	switch opts.Mode {
	case ModeDaemon:
		return openDaemon(ctx, opts)
	case ModeEmbedded:
		return openEmbedded(ctx, opts)
	case ModeAuto:
		s, err := openDaemon(ctx, opts)
		if err == nil {
			return s, nil
		}
		if !errors.Is(err, ErrUnavailable) {
			return nil, err
		}
		return openEmbedded(ctx, opts)
	}
	return nil, fmt.Errorf("ipfs: unknown mode %q", opts.Mode)
}

// Unstarted returns a Store that starts nothing and contacts nothing, for a program that
// chose not to use IPFS this time (a read-only command) yet wants to say what it would use:
// Mode reports opts.Mode (ModeAuto when empty), Started is false, PeerID is empty, Close does
// nothing, and every other method fails with ErrNotStarted.
func Unstarted(opts Options) *Store {
	return &Store{mode: opts.withDefaults().Mode, unstarted: true}
}

// CheckOptions reports what Open would refuse in opts without starting or contacting anything:
// an unknown mode, or an Options.APIAddr that is neither a multiaddr nor an http(s) URL.
func CheckOptions(opts Options) error {
	opts = opts.withDefaults()
	switch opts.Mode {
	case ModeAuto, ModeEmbedded, ModeDaemon:
	default:
		return fmt.Errorf("ipfs: unknown mode %q", opts.Mode)
	}
	if opts.APIAddr != "" {
		s, err := newDaemonStore(opts.APIAddr, opts)
		if err != nil {
			return fmt.Errorf("ipfs: Options.APIAddr %q: %w", opts.APIAddr, err)
		}
		s.Close()
	}
	return nil
}

// Started reports whether the Store reaches IPFS: false for one made by Unstarted.
func (s *Store) Started() bool { return !s.unstarted }

// Mode reports the mode in use: ModeEmbedded or ModeDaemon; for a Store made by Unstarted,
// the mode it was given (ModeAuto too).
func (s *Store) Mode() Mode { return s.mode }

// PeerID is this node's libp2p peer id ("" for a Store made by Unstarted).
func (s *Store) PeerID() string {
	if s.unstarted {
		return ""
	}
	return s.peerID.String()
}

// Close stops the embedded node once no other Store in the process uses it
// (Kubo gets a bounded time to shut down); for a daemon it only drops the
// connection. Calls after Close fail with ErrClosed.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		s.closed.Store(true)
		if s.shared != nil {
			s.closeErr = s.shared.release()
		}
		if s.transport != nil {
			s.transport.CloseIdleConnections()
		}
	})
	return s.closeErr
}

func (s *Store) check() error {
	if s.unstarted {
		return ErrNotStarted
	}
	if s.closed.Load() {
		return ErrClosed
	}
	return nil
}

func checkName(name string) error {
	if len(name) > maxPinNameBytes {
		return fmt.Errorf("pin name is %d bytes (max %d)", len(name), maxPinNameBytes)
	}
	return nil
}

// Add stores what r yields as one UnixFS file (CIDv1, raw leaves, 256 KiB
// chunks), streaming, and pins it recursively under name. The same bytes
// always give the same CID. Wrap r to observe progress.
func (s *Store) Add(ctx context.Context, r io.Reader, name string) (cid.Cid, error) {
	what := fmt.Sprintf("ipfs: add %q", name)
	if err := s.check(); err != nil {
		return cid.Undef, fmt.Errorf("%s: %w", what, err)
	}
	if err := checkName(name); err != nil {
		return cid.Undef, fmt.Errorf("%s: %w", what, err)
	}
	src := &source{r: r}
	opts := []options.UnixfsAddOption{
		options.Unixfs.CidVersion(1),
		options.Unixfs.RawLeaves(true),
		options.Unixfs.Pin(true, name),
	}
	var p path.ImmutablePath
	var err error
	if s.mode == ModeDaemon {
		var wd *watchdog
		ctx, wd = newWatchdog(ctx, s.stall, s.daemonStalled())
		defer wd.stop()
		src.wd = wd
		p, err = s.api.Unixfs().Add(ctx, files.NewReaderFile(src), opts...)
		if err == nil {
			// The RPC API ignores the pin name on add: name the pin now.
			err = s.api.Pin().Add(ctx, p, options.Pin.Name(name))
		}
	} else {
		p, err = s.api.Unixfs().Add(ctx, files.NewReaderFile(src), opts...)
	}
	if inErr := src.end(); inErr != nil {
		return cid.Undef, fmt.Errorf("%s: reading the input: %w", what, inErr)
	}
	if err != nil {
		return cid.Undef, s.fail(ctx, what, err)
	}
	return p.RootCid(), nil
}

// source is Add's input. It keeps the input's own error apart from the
// daemon's, pauses the watchdog while the input works, and is not read once
// Add returned (net/http may still be reading a request body then).
type source struct {
	mu   sync.Mutex
	r    io.Reader
	wd   *watchdog
	err  error
	done bool
}

func (s *source) Read(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.done {
		return 0, errAddEnded
	}
	if s.wd != nil {
		s.wd.paused()
		defer s.wd.waiting()
	}
	n, err := s.r.Read(p)
	if err != nil && err != io.EOF {
		s.err = err
	}
	return n, err
}

// end stops reading and returns the input's error, if any.
func (s *source) end() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.done = true
	return s.err
}

var errAddEnded = errors.New("add ended")

// Fetch makes the whole DAG of c local and pins it recursively under name
// (pinning again only renames the pin). Blocks are fetched in parallel from
// connected peers — dial the provider hints with Connect first — and, on the
// public network, from providers found through routing. progress, if not
// nil, is called with the number of blocks fetched or checked so far, from
// Fetch's goroutine, never after Fetch returns. Fetch fails with ErrStalled
// when no block arrives for Options.StallTimeout.
func (s *Store) Fetch(ctx context.Context, c cid.Cid, name string, progress func(blocks int)) error {
	what := fmt.Sprintf("ipfs: fetch %s", c)
	if err := s.check(); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if err := checkName(name); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if !c.Defined() {
		return fmt.Errorf("%s: undefined CID", what)
	}
	ctx, wd := newWatchdog(ctx, s.stall, fmt.Errorf("%w: no block arrived for %v", ErrStalled, s.stall))
	defer wd.stop()
	var err error
	if s.mode == ModeDaemon {
		err = s.fetchDaemon(ctx, wd, c, name, progress)
	} else {
		err = s.fetchEmbedded(ctx, wd, c, name, progress)
	}
	return s.fail(ctx, what, err)
}

func (s *Store) fetchEmbedded(ctx context.Context, wd *watchdog, c cid.Cid, name string, progress func(int)) error {
	tracker := new(merkledag.ProgressTracker)
	done := make(chan error, 1)
	go func() {
		done <- s.api.Pin().Add(tracker.DeriveContext(ctx), path.FromCid(c), options.Pin.Name(name))
	}()
	tick := time.NewTicker(progressEvery)
	defer tick.Stop()
	last := 0
	report := func() {
		if n := tracker.Value(); n != last {
			last = n
			wd.waiting()
			if progress != nil {
				progress(n)
			}
		}
	}
	for {
		select {
		case err := <-done:
			if err == nil {
				report()
			}
			return err
		case <-tick.C:
			report()
		}
	}
}

// Open opens the file c for reading and reports its size. Call Fetch first to
// read from the local repository; otherwise blocks are fetched one after the
// other as the reader needs them. ctx governs the reader until it is closed.
// A read fails — never a short read ending in io.EOF — if the file cannot be
// read whole: the error wraps ErrUnavailable when the daemon went away, and
// ErrStalled when no data came for Options.StallTimeout.
func (s *Store) Open(ctx context.Context, c cid.Cid) (io.ReadCloser, int64, error) {
	what := fmt.Sprintf("ipfs: read %s", c)
	if err := s.check(); err != nil {
		return nil, 0, fmt.Errorf("%s: %w", what, err)
	}
	if !c.Defined() {
		return nil, 0, fmt.Errorf("%s: undefined CID", what)
	}
	cause := fmt.Errorf("%w: no data came for %v", ErrStalled, s.stall)
	if s.mode == ModeDaemon {
		cause = s.daemonStalled()
	}
	ctx, wd := newWatchdog(ctx, s.stall, cause)
	node, err := s.api.Unixfs().Get(ctx, path.FromCid(c))
	if err != nil {
		err = s.fail(ctx, what, err)
		wd.stop()
		return nil, 0, err
	}
	f, ok := node.(files.File)
	if !ok {
		node.Close()
		wd.stop()
		return nil, 0, fmt.Errorf("%s: not a file", what)
	}
	size, err := f.Size()
	if err != nil {
		f.Close()
		wd.stop()
		return nil, 0, s.fail(ctx, what, err)
	}
	wd.paused()
	return &reader{s: s, ctx: ctx, what: what, f: f, wd: wd, size: size}, size, nil
}

// reader checks that a file is read whole and maps failures to this
// package's errors. Errors are sticky.
type reader struct {
	s    *Store
	ctx  context.Context
	what string
	f    files.File
	wd   *watchdog
	size int64
	n    int64
	err  error
	once sync.Once
}

func (r *reader) Read(p []byte) (int, error) {
	if r.err != nil {
		return 0, r.err
	}
	r.wd.waiting()
	n, err := r.f.Read(p)
	r.wd.paused()
	r.n += int64(n)
	switch {
	case r.n > r.size:
		err = fmt.Errorf("%s: more data than the %d bytes announced", r.what, r.size)
	case err == io.EOF && r.n < r.size:
		err = r.s.fail(r.ctx, r.what, fmt.Errorf("stream ended after %d of %d bytes: %w", r.n, r.size, io.ErrUnexpectedEOF))
	case err == io.EOF:
		return n, io.EOF
	case err != nil:
		err = r.s.fail(r.ctx, r.what, err)
	}
	r.err = err
	return n, err
}

func (r *reader) Close() error {
	r.once.Do(func() {
		r.f.Close()
		r.wd.stop()
	})
	if r.err == nil {
		r.err = fmt.Errorf("%s: %w", r.what, io.ErrClosedPipe)
	}
	return nil
}

// IsPinned reports whether c is pinned, recursively or as part of another
// pinned DAG.
func (s *Store) IsPinned(ctx context.Context, c cid.Cid) (bool, error) {
	return s.isPinned(ctx, c, options.Pin.IsPinned.All())
}

// HasRecursivePin reports whether a recursive pin of c itself exists (the kind Fetch and Add
// make, each with a name).
func (s *Store) HasRecursivePin(ctx context.Context, c cid.Cid) (bool, error) {
	return s.isPinned(ctx, c, options.Pin.IsPinned.Recursive())
}

func (s *Store) isPinned(ctx context.Context, c cid.Cid, mode options.PinIsPinnedOption) (bool, error) {
	what := fmt.Sprintf("ipfs: pin status of %s", c)
	if err := s.check(); err != nil {
		return false, fmt.Errorf("%s: %w", what, err)
	}
	ctx, cancel := context.WithTimeout(ctx, callTimeout)
	defer cancel()
	_, pinned, err := s.api.Pin().IsPinned(ctx, path.FromCid(c), mode)
	if err != nil {
		return false, s.fail(ctx, what, err)
	}
	return pinned, nil
}

// Pin is one recursive pin.
type Pin struct {
	Cid  cid.Cid
	Name string
}

// Pins lists the recursive pins with their names.
func (s *Store) Pins(ctx context.Context) ([]Pin, error) {
	const what = "ipfs: list pins"
	if err := s.check(); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	ctx, cancel := context.WithTimeout(ctx, callTimeout)
	defer cancel()
	ch := make(chan iface.Pin)
	errc := make(chan error, 1)
	go func() {
		errc <- s.api.Pin().Ls(ctx, ch, options.Pin.Ls.Recursive(), options.Pin.Ls.Detailed(true))
	}()
	var pins []Pin
	for p := range ch {
		pins = append(pins, Pin{Cid: p.Path().RootCid(), Name: p.Name()})
	}
	if err := <-errc; err != nil {
		return nil, s.fail(ctx, what, err)
	}
	return pins, nil
}

// Unpin removes the recursive pin of c; its blocks go at the next garbage
// collection unless something else pins them.
func (s *Store) Unpin(ctx context.Context, c cid.Cid) error {
	what := fmt.Sprintf("ipfs: unpin %s", c)
	if err := s.check(); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	ctx, cancel := context.WithTimeout(ctx, callTimeout)
	defer cancel()
	return s.fail(ctx, what, s.api.Pin().Rm(ctx, path.FromCid(c)))
}

// Addrs are this node's addresses as others should dial them, each ending in
// /p2p/<peer id>: DataShare publishes them as provider hints.
func (s *Store) Addrs(ctx context.Context) ([]string, error) {
	const what = "ipfs: local addresses"
	if err := s.check(); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	ctx, cancel := context.WithTimeout(ctx, callTimeout)
	defer cancel()
	addrs, err := s.api.Swarm().LocalAddrs(ctx)
	if err != nil {
		return nil, s.fail(ctx, what, err)
	}
	p2p, err := ma.NewComponent("p2p", s.peerID.String())
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	out := make([]string, len(addrs))
	for i, a := range addrs {
		out[i] = a.Encapsulate(p2p).String()
	}
	return out, nil
}

// ListenAddrs are the addresses this node listens on, as bound (for a 0.0.0.0
// listener, 0.0.0.0).
func (s *Store) ListenAddrs(ctx context.Context) ([]string, error) {
	const what = "ipfs: listen addresses"
	if err := s.check(); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	ctx, cancel := context.WithTimeout(ctx, callTimeout)
	defer cancel()
	addrs, err := s.api.Swarm().ListenAddrs(ctx)
	if err != nil {
		return nil, s.fail(ctx, what, err)
	}
	out := make([]string, len(addrs))
	for i, a := range addrs {
		out[i] = a.String()
	}
	return out, nil
}

// Connect dials the peers behind addrs (multiaddrs ending in /p2p/<peer id>,
// as Addrs returns them), in parallel, each for a bounded time. It is best
// effort: it succeeds if at least one peer is connected (or addrs is empty,
// or names only this node), and otherwise reports each failure. An address
// that does not parse is an error naming it, and nothing is dialed.
func (s *Store) Connect(ctx context.Context, addrs []string) error {
	const what = "ipfs: connect"
	if err := s.check(); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	mas := make([]ma.Multiaddr, 0, len(addrs))
	for _, a := range addrs {
		m, err := ma.NewMultiaddr(a)
		if err == nil {
			_, err = peer.AddrInfoFromP2pAddr(m)
		}
		if err != nil {
			return fmt.Errorf("%s: bad peer address %q: %w", what, a, err)
		}
		mas = append(mas, m)
	}
	infos, err := peer.AddrInfosFromP2pAddrs(mas...)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	var dial []peer.AddrInfo
	for _, pi := range infos {
		if pi.ID != s.peerID {
			dial = append(dial, pi)
		}
	}
	if len(dial) == 0 {
		return nil
	}
	errs := make([]error, len(dial))
	var wg sync.WaitGroup
	for i, pi := range dial {
		wg.Go(func() {
			dctx, cancel := context.WithTimeout(ctx, dialTimeout)
			defer cancel()
			if err := s.api.Swarm().Connect(dctx, pi); err != nil {
				errs[i] = s.fail(dctx, fmt.Sprintf("dial %s", pi.ID), err)
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err == nil {
			return nil
		}
	}
	return fmt.Errorf("%s: no peer reached: %w", what, errors.Join(errs...))
}

// Peers is the number of peers this node is connected to.
func (s *Store) Peers(ctx context.Context) (int, error) {
	const what = "ipfs: peers"
	if err := s.check(); err != nil {
		return 0, fmt.Errorf("%s: %w", what, err)
	}
	ctx, cancel := context.WithTimeout(ctx, callTimeout)
	defer cancel()
	peers, err := s.api.Swarm().Peers(ctx)
	if err != nil {
		return 0, s.fail(ctx, what, err)
	}
	return len(peers), nil
}
