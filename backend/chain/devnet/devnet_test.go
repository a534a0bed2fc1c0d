package devnet_test

import (
	"context"
	"crypto/ecdsa"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/params"

	"github.com/datashare/datashare/backend/chain"
	"github.com/datashare/datashare/backend/chain/devnet"
	"github.com/datashare/datashare/contracts"
)

var (
	ds           = contracts.NewDataShare()
	testCID      = []byte{0x01, 0x71, 0x12, 0x20, 0xaa, 0xbb}
	testEnvelope = []byte("age-encryption.org/v1 test envelope")
)

func testKey(label string) *ecdsa.PrivateKey {
	k, err := crypto.ToECDSA(crypto.Keccak256([]byte("datashare devnet test " + label)))
	if err != nil {
		panic(err)
	}
	return k
}

func addr(k *ecdsa.PrivateKey) common.Address { return crypto.PubkeyToAddress(k.PublicKey) }

func ctxT(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	return ctx
}

func start(t testing.TB, opts devnet.Options) *devnet.Node {
	t.Helper()
	n, err := devnet.Start(ctxT(t), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { n.Close() })
	return n
}

func dial(t testing.TB, n *devnet.Node) *chain.Client {
	t.Helper()
	c, err := chain.Dial(ctxT(t), n.RPCURL(), devnet.ChainID, n.Contract())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

// fileJournal keeps the last signed transaction in a file, durably.
type fileJournal struct{ path string }

func (j fileJournal) SaveSigned(_ context.Context, _ common.Hash, raw []byte) error {
	f, err := os.OpenFile(j.path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(raw); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func publish(ctx context.Context, c *chain.Client, key *ecdsa.PrivateKey, j chain.Journal) (*types.Receipt, error) {
	tx := chain.Tx{From: addr(key), To: c.Contract(), Data: ds.PackPublish(testCID, big.NewInt(0), testEnvelope)}
	est, err := c.Estimate(ctx, tx)
	if err != nil {
		return nil, err
	}
	return c.SignAndSend(ctx, key, tx, est, j)
}

func published(t testing.TB, r *types.Receipt) *contracts.DataSharePublished {
	t.Helper()
	for _, l := range r.Logs {
		if ev, err := ds.UnpackPublishedEvent(l); err == nil {
			return ev
		}
	}
	t.Fatalf("no Published event in receipt %s", r.TxHash)
	return nil
}

func TestStartRestart(t *testing.T) {
	dir := t.TempDir()
	user := testKey("user")
	t0 := time.Now()
	n, err := devnet.Start(ctxT(t), devnet.Options{DataDir: dir, Prefund: []common.Address{addr(user)}})
	if err != nil {
		t.Fatal(err)
	}
	first := time.Since(t0)

	u, err := url.Parse(n.RPCURL())
	if err != nil || u.Hostname() != "127.0.0.1" {
		t.Fatalf("RPC URL %q is not on 127.0.0.1", n.RPCURL())
	}
	checkLoopbackOnly(t, u.Port())

	c := dial(t, n)
	ctx := ctxT(t)
	if bal, err := c.Balance(ctx, addr(user)); err != nil || bal.Cmp(devnet.PrefundAmount) != 0 {
		t.Fatalf("prefunded balance %v, %v", bal, err)
	}
	dep, err := devnet.ReadDeployment(dir)
	if err != nil {
		t.Fatal(err)
	}
	if dep.Contract != n.Contract() || dep.DeployBlock != n.DeployBlock() || dep.ChainID != devnet.ChainID || dep.RefundTimeout != devnet.RefundTimeout {
		t.Fatalf("deployment.json %+v, node %s@%d", dep, n.Contract(), n.DeployBlock())
	}
	if rt, err := c.RefundTimeout(ctx); err != nil || rt != 24*3600 {
		t.Fatalf("refund timeout %d, %v", rt, err)
	}
	tp := time.Now()
	r, err := publish(ctx, c, user, nil)
	if err != nil {
		t.Fatal(err)
	}
	sealed := time.Since(tp)
	head, _ := c.BlockNumber(ctx)
	bal, _ := c.Balance(ctx, addr(user))
	if err := n.Close(); err != nil {
		t.Fatal(err)
	}
	if err := n.Close(); err != nil { // idempotent
		t.Fatal(err)
	}

	t1 := time.Now()
	n2 := start(t, devnet.Options{DataDir: dir, Prefund: []common.Address{addr(user)}})
	restart := time.Since(t1)
	if n2.RPCURL() != n.RPCURL() {
		t.Errorf("restart moved RPC from %s to %s", n.RPCURL(), n2.RPCURL())
	}
	if n2.Contract() != n.Contract() || n2.DeployBlock() != n.DeployBlock() {
		t.Fatalf("restart: contract %s@%d, was %s@%d", n2.Contract(), n2.DeployBlock(), n.Contract(), n.DeployBlock())
	}
	c2 := dial(t, n2)
	if h, err := c2.BlockNumber(ctx); err != nil || h != head {
		t.Fatalf("head after restart %d (%v), was %d", h, err, head)
	}
	if b, err := c2.Balance(ctx, addr(user)); err != nil || b.Cmp(bal) != 0 {
		t.Fatalf("balance after restart %v (%v), was %v", b, err, bal)
	}
	if info, err := c2.Dataset(ctx, published(t, r).Id.Uint64()); err != nil || info.Owner != addr(user) {
		t.Fatalf("dataset after restart %+v, %v", info, err)
	}
	// The same receipt after a clean restart, directly and through Resubmit.
	raw := signedRaw(t, c2, r.TxHash)
	again, err := c2.Resubmit(ctx, raw)
	if err != nil || again.BlockHash != r.BlockHash {
		t.Fatalf("resubmit after restart: %v, %v", again, err)
	}
	t.Logf("first start %v (genesis + deploy), publish (estimate, sign, send, receipt) %v, restart %v; head %d", first, sealed, restart, head)
}

// TestRedeployOnNewCode starts a chain whose deployment.json was written by another build of
// the contract (here: one without a code hash, as builds before it recorded none): the start
// deploys the current contract, records it, and a restart keeps it.
func TestRedeployOnNewCode(t *testing.T) {
	dir := t.TempDir()
	n := start(t, devnet.Options{DataDir: dir})
	first := n.Contract()
	if err := n.Close(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "deployment.json")
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var dep map[string]any
	if err := json.Unmarshal(raw, &dep); err != nil {
		t.Fatal(err)
	}
	if _, ok := dep["codeHash"]; !ok {
		t.Fatalf("deployment.json has no codeHash: %s", raw)
	}
	delete(dep, "codeHash")
	if raw, err = json.Marshal(dep); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, raw, 0o600); err != nil {
		t.Fatal(err)
	}

	n2 := start(t, devnet.Options{DataDir: dir})
	if n2.Contract() == first {
		t.Fatalf("contract %s kept although it was built from other code", first)
	}
	c := dial(t, n2)
	if rt, err := c.RefundTimeout(ctxT(t)); err != nil || rt != devnet.RefundTimeout {
		t.Fatalf("refund timeout of the new contract %d, %v", rt, err)
	}
	got, err := devnet.ReadDeployment(dir)
	if err != nil || got.Contract != n2.Contract() || got.CodeHash == (common.Hash{}) || got.DeployBlock != n2.DeployBlock() {
		t.Fatalf("deployment.json after redeploy %+v, %v", got, err)
	}
	if err := n2.Close(); err != nil {
		t.Fatal(err)
	}
	n3 := start(t, devnet.Options{DataDir: dir})
	if n3.Contract() != n2.Contract() {
		t.Fatalf("restart with the same code moved the contract from %s to %s", n2.Contract(), n3.Contract())
	}
}

// signedRaw fetches a mined transaction's signed bytes.
func signedRaw(t testing.TB, c *chain.Client, h common.Hash) []byte {
	t.Helper()
	tx, _, err := c.Eth().TransactionByHash(ctxT(t), h)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := tx.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// checkLoopbackOnly checks (on Linux) that every TCP socket this process listens on is bound to
// 127.0.0.1, and that the RPC port does not answer on another local address.
func checkLoopbackOnly(t *testing.T, port string) {
	t.Helper()
	if runtime.GOOS == "linux" {
		inodes := map[string]bool{}
		fds, _ := os.ReadDir("/proc/self/fd")
		for _, fd := range fds {
			l, err := os.Readlink(filepath.Join("/proc/self/fd", fd.Name()))
			if err == nil && strings.HasPrefix(l, "socket:[") {
				inodes[strings.TrimSuffix(strings.TrimPrefix(l, "socket:["), "]")] = true
			}
		}
		found := false
		for _, f := range []string{"/proc/self/net/tcp", "/proc/self/net/tcp6", "/proc/self/net/udp", "/proc/self/net/udp6"} {
			b, err := os.ReadFile(f)
			if err != nil {
				continue
			}
			for _, line := range strings.Split(string(b), "\n")[1:] {
				fields := strings.Fields(line)
				if len(fields) < 10 || !inodes[fields[9]] {
					continue
				}
				if strings.HasPrefix(f, "/proc/self/net/tcp") && fields[3] != "0A" { // not LISTEN
					continue
				}
				local := fields[1]
				p, _ := strconv.ParseUint(local[strings.Index(local, ":")+1:], 16, 16)
				if strconv.FormatUint(p, 10) == port {
					found = true
				}
				if !strings.HasPrefix(local, "0100007F:") { // 127.0.0.1, little-endian hex
					t.Errorf("%s: socket bound to %s (port %d), not 127.0.0.1", filepath.Base(f), local, p)
				}
			}
		}
		if !found {
			t.Errorf("RPC port %s not found among this process's listening sockets", port)
		}
	}
	addrs, _ := net.InterfaceAddrs()
	for _, a := range addrs {
		ipn, ok := a.(*net.IPNet)
		if !ok || ipn.IP.IsLoopback() || ipn.IP.To4() == nil {
			continue
		}
		conn, err := net.DialTimeout("tcp", net.JoinHostPort(ipn.IP.String(), port), time.Second)
		if err == nil {
			conn.Close()
			t.Errorf("RPC answers on %s", ipn.IP)
		}
	}
}

func TestInUseAndJoin(t *testing.T) {
	dir := t.TempDir()
	if _, err := devnet.JoinURL(dir); !errors.Is(err, devnet.ErrNotStarted) {
		t.Fatalf("JoinURL before any start: %v", err)
	}
	n := start(t, devnet.Options{DataDir: dir})
	_, err := devnet.Start(ctxT(t), devnet.Options{DataDir: dir})
	if !errors.Is(err, devnet.ErrInUse) {
		t.Fatalf("second Start in this process: %v, want ErrInUse", err)
	}
	u, err := devnet.JoinURL(dir)
	if err != nil || u != n.RPCURL() {
		t.Fatalf("JoinURL = %q, %v; want %s", u, err, n.RPCURL())
	}
	dep, err := devnet.ReadDeployment(dir)
	if err != nil {
		t.Fatal(err)
	}
	c, err := chain.Dial(ctxT(t), u, devnet.ChainID, dep.Contract)
	if err != nil {
		t.Fatalf("joining: %v", err)
	}
	c.Close()

	// From another process.
	out := helper(t, "start", dir, "")
	if !strings.Contains(out, "in use: "+n.RPCURL()) {
		t.Fatalf("second process: %q", out)
	}
}

func TestFund(t *testing.T) {
	n := start(t, devnet.Options{DataDir: t.TempDir()})
	to := addr(testKey("new account"))
	amount := new(big.Int).Mul(big.NewInt(3), big.NewInt(params.Ether))
	h, err := devnet.Fund(ctxT(t), n.RPCURL(), to, amount)
	if err != nil {
		t.Fatal(err)
	}
	c := dial(t, n)
	if bal, err := c.Balance(ctxT(t), to); err != nil || bal.Cmp(amount) != 0 {
		t.Fatalf("balance %v, %v", bal, err)
	}
	if r, err := c.Eth().TransactionReceipt(ctxT(t), h); err != nil || r.Status != 1 {
		t.Fatalf("receipt %v, %v", r, err)
	}
	// Several at once (two app instances funding their device keys).
	errs := make(chan error, 4)
	for i := range 4 {
		go func() {
			_, err := devnet.Fund(ctxT(t), n.RPCURL(), addr(testKey(fmt.Sprint("many ", i))), amount)
			errs <- err
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if _, err := devnet.Fund(ctxT(t), "http://127.0.0.1:1", to, amount); err == nil {
		t.Fatal("Fund on a closed port succeeded")
	}
	// A Prefund account with no balance is funded on the next start.
	late := addr(testKey("late"))
	dir := n.DataDir()
	n.Close()
	n2 := start(t, devnet.Options{DataDir: dir, Prefund: []common.Address{late}})
	if bal, err := dial(t, n2).Balance(ctxT(t), late); err != nil || bal.Cmp(devnet.PrefundAmount) != 0 {
		t.Fatalf("late prefund %v, %v", bal, err)
	}
}

func TestFaucetKeyIsDeterministic(t *testing.T) {
	a, b := devnet.FaucetKey(), devnet.FaucetKey()
	if !a.Equal(b) || devnet.FaucetAddress() != addr(a) {
		t.Fatal("faucet key changes")
	}
}

// helper runs this test binary as a child process in TestHelperProcess mode and returns what it
// printed (for modes that exit by themselves).
func helper(t *testing.T, mode, dir, journal string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestHelperProcess$")
	cmd.Env = append(os.Environ(), "DEVNET_HELPER="+mode, "DEVNET_DIR="+dir, "DEVNET_JOURNAL="+journal)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("helper %s: %v\n%s", mode, err, out)
	}
	return string(out)
}

// TestHelperProcess is not a test: it is the child process of other tests.
func TestHelperProcess(t *testing.T) {
	mode := os.Getenv("DEVNET_HELPER")
	if mode == "" {
		t.Skip("helper process for other tests")
	}
	dir := os.Getenv("DEVNET_DIR")
	ctx := context.Background()
	switch mode {
	case "start":
		n, err := devnet.Start(ctx, devnet.Options{DataDir: dir})
		if errors.Is(err, devnet.ErrInUse) {
			u, _ := devnet.JoinURL(dir)
			fmt.Println("in use: " + u)
			return
		}
		if err != nil {
			fmt.Println("error:", err)
			os.Exit(1)
		}
		n.Close()
		fmt.Println("started")
	case "crash":
		devnet.SetHeadSync(os.Getenv("DEVNET_NOSYNC") == "")
		crashChild(dir, os.Getenv("DEVNET_JOURNAL"))
	case "member":
		memberChild(dir)
	}
}

// crashChild starts the chain, publishes a dataset (journaling the signed transaction), reports
// the hash and block, and waits to be killed.
func crashChild(dir, journal string) {
	fail := func(err error) { fmt.Println("error:", err); os.Exit(1) }
	t0 := time.Now()
	n, err := devnet.Start(context.Background(), devnet.Options{DataDir: dir})
	if err != nil {
		fail(err)
	}
	fmt.Printf("started %d\n", time.Since(t0).Microseconds())
	fmt.Printf("rss %d\n", rssKB())
	ctx := context.Background()
	c, err := chain.Dial(ctx, n.RPCURL(), devnet.ChainID, n.Contract())
	if err != nil {
		fail(err)
	}
	user := testKey("crash user") // funded in the genesis by the parent
	r, err := publish(ctx, c, user, fileJournal{journal})
	if err != nil {
		fail(err)
	}
	fmt.Printf("tx %s %d\n", r.TxHash.Hex(), r.BlockNumber.Uint64())
	fmt.Printf("rss %d\n", rssKB())
	fmt.Println("ready")
	io.Copy(io.Discard, os.Stdin) // until killed
	os.Exit(0)
}

// rssKB is this process's resident set size (Linux; 0 elsewhere).
func rssKB() int {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmRSS:") {
			v, _ := strconv.Atoi(strings.Fields(line)[1])
			return v
		}
	}
	return 0
}
