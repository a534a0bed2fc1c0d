package ipfs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/ipfs/go-cid"
	"github.com/ipfs/kubo/client/rpc"
	ma "github.com/multiformats/go-multiaddr"
	manet "github.com/multiformats/go-multiaddr/net"
)

// defaultAPIAddr is where a daemon listens unless configured otherwise.
const defaultAPIAddr = "/ip4/127.0.0.1/tcp/5001"

// apiCandidate is one place a daemon may answer.
type apiCandidate struct {
	from string // where the address came from, for errors
	addr string // multiaddr or URL
}

// daemonCandidates lists where to look for a daemon, in order of preference.
// On the Loopback network only $IPFS_PATH is searched: ~/.ipfs and port 5001
// belong to the user's own daemon, which is on the public network.
func daemonCandidates(explicit string, network Network) []apiCandidate {
	if explicit != "" {
		return []apiCandidate{{from: "Options.APIAddr", addr: explicit}}
	}
	var out []apiCandidate
	seen := map[string]bool{}
	add := func(from, addr string) {
		if !seen[addr] {
			seen[addr] = true
			out = append(out, apiCandidate{from: from, addr: addr})
		}
	}
	fromFile := func(dir string) {
		a, err := rpc.ApiAddr(dir)
		if err == nil {
			add(filepath.Join(dir, rpc.DefaultApiFile), a.String())
		}
	}
	if dir := os.Getenv(rpc.EnvDir); dir != "" {
		fromFile(dir)
	}
	if network == Loopback {
		return out
	}
	if home, err := os.UserHomeDir(); err == nil {
		fromFile(filepath.Join(home, rpc.DefaultPathName))
	}
	add("default", defaultAPIAddr)
	return out
}

// openDaemon returns a Store on the first candidate daemon that answers a
// probe within probeTimeout. Every failure to find one wraps ErrUnavailable,
// except a malformed Options.APIAddr.
func openDaemon(ctx context.Context, opts Options) (*Store, error) {
	cands := daemonCandidates(opts.APIAddr, opts.Network)
	pctx, cancel := context.WithTimeout(ctx, probeTimeout)
	defer cancel()

	stores := make([]*Store, len(cands))
	errs := make([]error, len(cands))
	var wg sync.WaitGroup
	for i, c := range cands {
		s, err := newDaemonStore(c.addr, opts)
		if err != nil {
			if opts.APIAddr != "" {
				return nil, fmt.Errorf("ipfs: Options.APIAddr %q: %w", opts.APIAddr, err)
			}
			errs[i] = fmt.Errorf("%s (%s): %w", c.addr, c.from, err)
			continue
		}
		wg.Go(func() {
			key, err := s.api.Key().Self(pctx)
			if err != nil {
				s.Close()
				errs[i] = fmt.Errorf("%s (%s): %w", c.addr, c.from, err)
				return
			}
			s.peerID = key.ID()
			stores[i] = s
		})
	}
	wg.Wait()

	var found *Store
	for _, s := range stores {
		switch {
		case s == nil:
		case found == nil:
			found = s
		default:
			s.Close()
		}
	}
	if found != nil {
		return found, nil
	}
	if len(cands) == 0 {
		return nil, fmt.Errorf("%w: no daemon found ($%s is not set and the loopback network ignores ~/.ipfs and port 5001)", ErrUnavailable, rpc.EnvDir)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("ipfs: looking for a daemon: %w", err)
	}
	return nil, fmt.Errorf("%w: no daemon answered: %w", ErrUnavailable, errors.Join(errs...))
}

// newDaemonStore builds an RPC client for addr (a multiaddr or an http(s)
// URL); it does not contact the daemon.
func newDaemonStore(addr string, opts Options) (*Store, error) {
	dialer := &net.Dialer{Timeout: 5 * time.Second, KeepAlive: 15 * time.Second}
	tr := &http.Transport{
		DialContext:       dialer.DialContext,
		DisableKeepAlives: true, // as Kubo's own client: one connection per request
	}
	c := &http.Client{Transport: tr}

	var api *rpc.HttpApi
	var err error
	if strings.HasPrefix(addr, "/") {
		m, merr := ma.NewMultiaddr(addr)
		if merr != nil {
			return nil, merr
		}
		network, address, derr := manet.DialArgs(m)
		if derr != nil {
			return nil, derr
		}
		if network == "unix" {
			tr.DialContext = func(ctx context.Context, _, _ string) (net.Conn, error) {
				return dialer.DialContext(ctx, "unix", address)
			}
			api, err = rpc.NewURLApiWithClient("http://unix", c)
		} else {
			api, err = rpc.NewApiWithClient(m, c)
		}
	} else {
		u, perr := url.Parse(addr)
		if perr != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("not a multiaddr or http(s) URL")
		}
		api, err = rpc.NewURLApiWithClient(strings.TrimRight(addr, "/"), c)
	}
	if err != nil {
		return nil, err
	}
	return &Store{
		mode:      ModeDaemon,
		api:       api,
		rpc:       api,
		transport: tr,
		stall:     opts.StallTimeout,
	}, nil
}

// daemonStalled is the error for a daemon that stopped answering.
func (s *Store) daemonStalled() error {
	return fmt.Errorf("%w: no answer for %v: %w", ErrUnavailable, s.stall, ErrStalled)
}

// fetchDaemon pins through the RPC API with progress reports, which
// Pin().Add of the RPC client does not expose.
//
// The daemon reports every half second, progress or not; when the reports
// stop for a while (half the stall timeout, 2 to 30 s), the daemon itself is
// stuck, which is ErrUnavailable rather than the ErrStalled of data nobody
// provides.
func (s *Store) fetchDaemon(ctx context.Context, wd *watchdog, c cid.Cid, name string, progress func(int)) error {
	silence := min(max(s.stall/2, 2*time.Second), 30*time.Second)
	lctx, alive := newWatchdog(ctx, silence, fmt.Errorf("%w: no report for %v: %w", ErrUnavailable, silence, ErrStalled))
	defer alive.stop()
	err := s.pinWithProgress(lctx, alive, wd, c, name, progress)
	if err != nil && ctx.Err() == nil && lctx.Err() != nil {
		return context.Cause(lctx)
	}
	return err
}

func (s *Store) pinWithProgress(ctx context.Context, alive, wd *watchdog, c cid.Cid, name string, progress func(int)) error {
	req := s.rpc.Request("pin/add", c.String()).
		Option("recursive", true).
		Option("progress", true)
	if name != "" {
		req = req.Option("name", name)
	}
	resp, err := req.Send(ctx)
	if err != nil {
		return err
	}
	if resp.Error != nil {
		return resp.Error
	}
	defer resp.Cancel()
	dec := json.NewDecoder(resp.Output)
	last, pinned := 0, false
	for {
		var ev struct {
			Pins     []string
			Progress int
		}
		err := dec.Decode(&ev)
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		alive.waiting()
		if ev.Progress > last {
			last = ev.Progress
			wd.waiting()
			if progress != nil {
				progress(last)
			}
		}
		if len(ev.Pins) > 0 {
			pinned = true
		}
	}
	if !pinned {
		return fmt.Errorf("the daemon ended the pin without confirming it: %w", io.ErrUnexpectedEOF)
	}
	return nil
}
