package wctest

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/datashare/datashare/internal/testreal"
)

// RequestMode is how the SDK wallet answers session requests.
type RequestMode string

const (
	Approve     RequestMode = "approve"      // sign, or sign and broadcast
	RejectTx    RequestMode = "REJECT_TX"    // answer 5000 "User rejected."
	NeverAnswer RequestMode = "NEVER_ANSWER" // let the request expire
)

// WalletOptions configures StartWallet.
type WalletOptions struct {
	RelayURL string            // the relay, ws://127.0.0.1:PORT
	URI      string            // the pairing URI to "scan"
	Key      *ecdsa.PrivateKey // the wallet's account; fund it on the chain for eth_sendTransaction
	ChainID  uint64            // default 1337
	RPCURL   string            // the chain, for eth_sendTransaction
	// RejectSession makes the wallet reject the session proposal (5000).
	RejectSession bool
	// Requests is how requests are answered; "" is Approve.
	Requests RequestMode
	// SubscribeSessionTopic makes the wallet subscribe to the session topic itself after
	// approving. The SDK relies on the relay's implicit subscription (wc_approveSession): a
	// relay with NoImplicitSubscribe needs this.
	SubscribeSessionTopic bool
}

// Event is one line the wallet script printed: "@@ NAME args…".
type Event struct {
	Name string
	Args []string
}

// Wallet is the WalletConnect SDK running as a phone wallet in a Node process.
type Wallet struct {
	Address  common.Address
	ClientID string // the wallet's relay client id (did:key), for Relay.CloseSockets

	t      testing.TB
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	exited chan struct{}

	mu      sync.Mutex
	events  []Event
	cursor  map[string]int
	logs    []string
	changed chan struct{}
}

// walletDir is backend/walletconnect/testdata/wallet.
func walletDir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "testdata", "wallet")
}

var (
	sdkOnce sync.Once
	sdkErr  error
	nodeErr error
)

// RequireSDK makes sure the pinned SDK is installed (npm ci, once, when node_modules is missing
// or older than package-lock.json). Without Node.js the test is skipped, or fails under CI.
func RequireSDK(t testing.TB) {
	t.Helper()
	sdkOnce.Do(func() {
		if _, nodeErr = exec.LookPath("node"); nodeErr != nil {
			return
		}
		sdkErr = installSDK()
	})
	testreal.Need(t, "Node.js for the WalletConnect SDK conformance tests (make deps-test)", nodeErr)
	if sdkErr != nil {
		t.Fatal(sdkErr)
	}
}

func installSDK() error {
	dir := walletDir()
	// The lock lives outside the source tree; test binaries of several packages share it.
	unlock, err := lockFile(filepath.Join(os.TempDir(), "datashare-wctest-npm-ci.lock"))
	if err != nil {
		return err
	}
	defer unlock()
	lock, err := os.Stat(filepath.Join(dir, "package-lock.json"))
	if err != nil {
		return err
	}
	if st, err := os.Stat(filepath.Join(dir, "node_modules", ".package-lock.json")); err == nil && !st.ModTime().Before(lock.ModTime()) {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("npm ci in %s: %v\n%s", dir, err, out)
	}
	return nil
}

// StartWallet starts the SDK wallet on opts.URI and waits until it is connected to the relay
// and has paired. It stops when the test ends; its output is logged if the test failed.
func StartWallet(t testing.TB, opts WalletOptions) *Wallet {
	t.Helper()
	RequireSDK(t)
	if opts.ChainID == 0 {
		opts.ChainID = 1337
	}
	if opts.Requests == "" {
		opts.Requests = Approve
	}
	session := "approve"
	if opts.RejectSession {
		session = "REJECT_SESSION"
	}
	subscribe := "0"
	if opts.SubscribeSessionTopic {
		subscribe = "1"
	}
	cmd := exec.Command("node", "wallet.js")
	cmd.Dir = walletDir()
	cmd.Env = []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + t.TempDir(),
		"WC_RELAY_URL=" + opts.RelayURL,
		"WC_URI=" + opts.URI,
		"WC_PRIVATE_KEY=" + hexutil.Encode(crypto.FromECDSA(opts.Key)),
		"WC_CHAIN_ID=" + strconv.FormatUint(opts.ChainID, 10),
		"WC_RPC_URL=" + opts.RPCURL,
		"WC_SESSION=" + session,
		"WC_REQUEST=" + string(opts.Requests),
		"WC_SUBSCRIBE=" + subscribe,
	}
	if lvl := os.Getenv("WCTEST_WALLET_LOG"); lvl != "" { // the SDK's log level, to debug a test
		cmd.Env = append(cmd.Env, "WC_LOG="+lvl)
	}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start the SDK wallet: %v", err)
	}
	w := &Wallet{t: t, cmd: cmd, stdin: stdin, exited: make(chan struct{}), cursor: make(map[string]int), changed: make(chan struct{})}
	var readers sync.WaitGroup
	readers.Add(2)
	go func() { defer readers.Done(); w.read(stdout, true) }()
	go func() { defer readers.Done(); w.read(stderr, false) }()
	go func() {
		readers.Wait()
		_ = cmd.Wait()
		close(w.exited)
		w.mu.Lock()
		w.broadcastLocked()
		w.mu.Unlock()
	}()
	t.Cleanup(w.stop)

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	ready, err := w.Wait(ctx, "READY")
	if err != nil || len(ready.Args) < 2 {
		t.Fatalf("the SDK wallet did not start: %v", err)
	}
	w.Address = common.HexToAddress(ready.Args[0])
	w.ClientID = ready.Args[1]
	if _, err := w.Wait(ctx, "PAIRED"); err != nil {
		t.Fatalf("the SDK wallet did not pair: %v", err)
	}
	return w
}

func (w *Wallet) read(r io.Reader, markers bool) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		w.mu.Lock()
		if len(w.logs) < 2000 {
			w.logs = append(w.logs, line)
		}
		if rest, ok := strings.CutPrefix(line, "@@ "); ok && markers {
			f := strings.Fields(rest)
			if len(f) > 0 {
				w.events = append(w.events, Event{Name: f[0], Args: f[1:]})
				w.broadcastLocked()
			}
		}
		w.mu.Unlock()
	}
}

func (w *Wallet) broadcastLocked() {
	close(w.changed)
	w.changed = make(chan struct{})
}

// Wait returns the next event called name that no earlier Wait for name returned. It fails when
// ctx ends, the wallet exits, or the wallet reports a fatal error.
func (w *Wallet) Wait(ctx context.Context, name string) (Event, error) {
	for {
		w.mu.Lock()
		seen := 0
		for _, e := range w.events {
			if e.Name != name {
				if e.Name == "ERROR" && len(e.Args) > 0 && e.Args[0] == "fatal" {
					w.mu.Unlock()
					return Event{}, fmt.Errorf("the SDK wallet failed: %s", strings.Join(e.Args[1:], " "))
				}
				continue
			}
			if seen == w.cursor[name] {
				w.cursor[name]++
				w.mu.Unlock()
				return e, nil
			}
			seen++
		}
		ch := w.changed
		w.mu.Unlock()
		select {
		case <-ctx.Done():
			return Event{}, fmt.Errorf("waiting for %s from the SDK wallet: %w", name, ctx.Err())
		case <-w.exited:
			// The process may have printed the event just before exiting.
			select {
			case <-ch:
				continue
			default:
			}
			return Event{}, fmt.Errorf("waiting for %s: %w", name, ErrExited)
		case <-ch:
		}
	}
}

// Events returns every event called name so far ("" for all).
func (w *Wallet) Events(name string) []Event {
	w.mu.Lock()
	defer w.mu.Unlock()
	var out []Event
	for _, e := range w.events {
		if name == "" || e.Name == name {
			out = append(out, e)
		}
	}
	return out
}

// Command sends the wallet script a command: "EMIT accountsChanged [\"0x…\"]", "UPDATE […]",
// "EXTEND", "PING", "DISCONNECT".
func (w *Wallet) Command(cmd string) error {
	_, err := io.WriteString(w.stdin, cmd+"\n")
	return err
}

// stop ends the wallet (EOF on stdin; killed if it does not exit within 5 s) and logs its
// output if the test failed.
func (w *Wallet) stop() {
	_ = w.stdin.Close()
	t := time.NewTimer(5 * time.Second)
	defer t.Stop()
	select {
	case <-w.exited:
	case <-t.C:
		_ = w.cmd.Process.Kill()
		<-w.exited
	}
	// The script refuses (and reports) any fetch beyond the loopback: none may even be tried.
	for _, e := range w.Events("BLOCKED") {
		w.t.Errorf("the SDK wallet tried to reach %s: tests must stay on 127.0.0.1", strings.Join(e.Args, " "))
	}
	if w.t.Failed() {
		w.mu.Lock()
		defer w.mu.Unlock()
		w.t.Logf("SDK wallet output:\n%s", strings.Join(w.logs, "\n"))
	}
}

// ErrExited is returned by Wait when the wallet process ended.
var ErrExited = errors.New("the SDK wallet exited")
