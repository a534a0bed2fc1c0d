package ipfstest

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	serialize "github.com/ipfs/kubo/config/serialize"
	ma "github.com/multiformats/go-multiaddr"
	manet "github.com/multiformats/go-multiaddr/net"

	"github.com/datashare/datashare/backend/ipfs/internal/kuboconf"
)

// Daemon is a running `ipfs daemon` on loopback.
type Daemon struct {
	API  string // RPC API multiaddr, /ip4/127.0.0.1/tcp/<port>
	Path string // its IPFS_PATH

	cmd    *exec.Cmd
	exited chan struct{}
	out    *syncBuffer
}

// StartDaemon starts a loopback-only Kubo daemon in a fresh IPFS_PATH and
// returns its RPC API multiaddr and IPFS_PATH. It is killed when the test
// ends.
func StartDaemon(t testing.TB) (apiMultiaddr string, ipfsPath string) {
	t.Helper()
	d := NewDaemon(t)
	return d.API, d.Path
}

// NewDaemon is StartDaemon returning the daemon, which tests can Kill.
//
// The repository comes from `ipfs init --profile test`, then is confined to
// loopback like the embedded Loopback node (swarm on 127.0.0.1, no gateway,
// no bootstrap, mDNS off, Routing.Type none, providing, AutoNAT, relays,
// HTTP retrieval and telemetry off), with the RPC API on a free 127.0.0.1
// port. The daemon runs online — not --offline — so it exchanges blocks
// with peers the test connects it to.
func NewDaemon(t testing.TB) *Daemon {
	t.Helper()
	bin := BuildDaemon(t)
	d := &Daemon{Path: t.TempDir(), exited: make(chan struct{}), out: &syncBuffer{}}
	env := append(os.Environ(), "IPFS_PATH="+d.Path, "IPFS_TELEMETRY=off", "DO_NOT_TRACK=1")

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	initCmd := exec.CommandContext(ctx, bin, "init", "--profile", "test")
	initCmd.Env = env
	if out, err := initCmd.CombinedOutput(); err != nil {
		t.Fatalf("ipfs init: %v\n%s", err, out)
	}
	if err := confine(d.Path); err != nil {
		t.Fatalf("configuring the daemon: %v", err)
	}

	d.cmd = exec.Command(bin, "daemon")
	d.cmd.Env = env
	d.cmd.Stdout = d.out
	d.cmd.Stderr = d.out
	d.cmd.SysProcAttr = daemonAttr()
	if err := d.cmd.Start(); err != nil {
		t.Fatalf("starting ipfs daemon: %v", err)
	}
	go func() {
		d.cmd.Wait()
		close(d.exited)
	}()
	t.Cleanup(func() {
		d.Kill()
		if t.Failed() {
			t.Logf("ipfs daemon output:\n%s", d.out.String())
		}
	})

	api, err := d.waitReady(ctx)
	if err != nil {
		t.Fatalf("ipfs daemon did not start: %v\n%s", err, d.out.String())
	}
	d.API = api
	return d
}

// Kill kills the daemon (SIGKILL) and waits for it to exit.
func (d *Daemon) Kill() {
	d.cmd.Process.Kill()
	select {
	case <-d.exited:
	case <-time.After(10 * time.Second):
	}
}

// Signal sends sig to the daemon: syscall.SIGSTOP makes it hang without
// closing its connections, as a stuck daemon would.
func (d *Daemon) Signal(sig os.Signal) error { return d.cmd.Process.Signal(sig) }

// Output is what the daemon printed so far.
func (d *Daemon) Output() string { return d.out.String() }

// waitReady polls until the daemon wrote its api file and answers on it.
func (d *Daemon) waitReady(ctx context.Context) (string, error) {
	client := &http.Client{Timeout: time.Second}
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		if api, err := os.ReadFile(filepath.Join(d.Path, "api")); err == nil {
			addr := strings.TrimSpace(string(api))
			if answers(ctx, client, addr) {
				return addr, nil
			}
		}
		select {
		case <-d.exited:
			return "", fmt.Errorf("exited: %v", d.cmd.ProcessState)
		case <-ctx.Done():
			return "", ctx.Err()
		case <-tick.C:
		}
	}
}

func answers(ctx context.Context, client *http.Client, addr string) bool {
	m, err := ma.NewMultiaddr(addr)
	if err != nil {
		return false
	}
	_, host, err := manet.DialArgs(m)
	if err != nil {
		return false
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://"+host+"/api/v0/id", nil)
	if err != nil {
		return false
	}
	resp, err := client.Do(req)
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

// confine rewrites the repository's config for loopback only.
func confine(ipfsPath string) error {
	file := filepath.Join(ipfsPath, "config")
	cfg, err := serialize.Load(file)
	if err != nil {
		return err
	}
	if err := kuboconf.Loopback(cfg); err != nil {
		return err
	}
	cfg.Addresses.API = []string{"/ip4/127.0.0.1/tcp/0"}
	return serialize.WriteConfigFile(file, cfg)
}

// syncBuffer collects the daemon's output.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}
