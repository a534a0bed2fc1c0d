// Package ipfs stores and retrieves DataShare payloads on IPFS through one
// small type, [Store], whichever Kubo it talks to.
//
// # Two ways to reach IPFS
//
// A Store either drives a Kubo daemon that is already running on the
// machine (IPFS Desktop, `ipfs daemon`) through its HTTP RPC API, or runs an
// embedded Kubo node inside the application on a repository of its own
// (Options.RepoPath — never ~/.ipfs). Both are used through Kubo's CoreAPI,
// so every method behaves the same in either mode; [Store.Mode] tells which
// one was chosen.
//
// With [ModeAuto] (the default), [Open] looks for a daemon — Options.APIAddr
// if set, else $IPFS_PATH/api, ~/.ipfs/api and /ip4/127.0.0.1/tcp/5001 (on
// the [Loopback] network, $IPFS_PATH only) — and uses the first that answers
// within about two seconds; if none does, it starts the embedded node. [ModeDaemon] and [ModeEmbedded] force one or the
// other. Options.Network, GCInterval and MaxMemory apply to the embedded node
// only: a daemon keeps its own configuration.
//
// On the public network, Open returns as soon as the embedded node runs: it dials its
// bootstrap peers in the background (Kubo's own start would wait for that first round, ten
// seconds and more on a computer without internet), and Close cancels those dials.
// [Unstarted] gives a Store that starts and contacts nothing, for a program that does not need
// IPFS this time (a read-only command) but says which mode it would use; its calls fail with
// [ErrNotStarted]. [CheckOptions] refuses what Open would refuse, without contacting anything.
//
// # What callers need
//
//	s, err := ipfs.Open(ctx, ipfs.Options{RepoPath: dir})
//	defer s.Close()
//
//	c, err := s.Add(ctx, ciphertext, "dataset 42 v1")  // publish: streamed, CIDv1, pinned
//	hints, err := s.Addrs(ctx)                          // put into the metadata
//
//	err = s.Connect(ctx, hints)                         // fetch: dial the owner first,
//	err = s.Fetch(ctx, c, "dataset 42 v1", progress)    // pin the whole DAG (parallel),
//	r, size, err := s.Open(ctx, c)                      // then read it locally
//
// Add, Fetch and Open stream: memory stays flat whatever the size. Everything
// that is added or fetched is pinned under a name, so garbage collection (run
// periodically by the embedded node) never removes it; [Store.Unpin] releases
// it.
//
// # Errors
//
// Every call honours its context. Calls that only ask something (IsPinned,
// Addrs, Peers, Connect, ...) are also bounded by a timeout of their own;
// transfers (Add, Fetch, reading from Open) are bounded by
// Options.StallTimeout instead: they fail when no progress is made for that
// long.
//
// When the daemon goes away in the middle of an operation — or does not
// answer at all — the error wraps [ErrUnavailable]; reading from a daemon
// that died reports it as such an error, never as a short read ending in
// io.EOF. A transfer that stops making progress reports [ErrStalled]; if it
// is the daemon that stopped answering, the error wraps both. Opening
// an embedded repository that another process holds fails with
// [ErrRepoLocked]. Within one process, stores opened on the same repository
// share one node (started with the first one's options), which stops when the
// last of them is closed. The embedded node outlives the context given to
// Open: only Close stops it.
//
// # Process-wide state
//
// The embedded node needs Kubo's plugins (datastores, codecs) injected into
// process-global registries; this package does that once per process, the
// first time an embedded node is opened. Nothing else in the process should
// inject Kubo plugins.
//
// Tests use [Loopback] networks and the helpers in package ipfstest, which
// never reach beyond 127.0.0.1.
package ipfs
