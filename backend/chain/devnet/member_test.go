package devnet_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/datashare/datashare/backend/chain"
	"github.com/datashare/datashare/backend/chain/devnet"
)

func join(t testing.TB, opts devnet.Options) *devnet.Member {
	t.Helper()
	m, err := devnet.Join(ctxT(t), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	return m
}

func dialURL(t testing.TB, url string, contract common.Address) *chain.Client {
	t.Helper()
	c, err := chain.Dial(ctxT(t), url, devnet.ChainID, contract)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

// waitFor polls cond every 20 ms until it holds or the bound passes, and reports how long it took.
func waitFor(t testing.TB, bound time.Duration, what string, cond func() bool) time.Duration {
	t.Helper()
	t0 := time.Now()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		if time.Since(t0) > bound {
			t.Fatalf("%s: not within %v", what, bound)
		}
		<-tick.C
	}
	return time.Since(t0)
}

// running is the one Member of ms that runs the chain, or nil; it fails when several do.
func running(t testing.TB, ms ...*devnet.Member) *devnet.Member {
	t.Helper()
	var r *devnet.Member
	for _, m := range ms {
		if m.Running() {
			if r != nil {
				t.Fatal("two Members run the chain at once")
			}
			r = m
		}
	}
	return r
}

// TestJoinRunsOrJoins: the first Join runs the chain, the next ones join it: one URL, one
// contract, one chain.
func TestJoinRunsOrJoins(t *testing.T) {
	dir := t.TempDir()
	user := testKey("member user")
	a := join(t, devnet.Options{DataDir: dir, Prefund: []common.Address{addr(user)}})
	b := join(t, devnet.Options{DataDir: dir})
	if !a.Running() || b.Running() {
		t.Fatalf("running: first %v, second %v; want true, false", a.Running(), b.Running())
	}
	if a.RPCURL() != b.RPCURL() || a.Deployment() != b.Deployment() || b.Contract() == (common.Address{}) {
		t.Fatalf("first %s %+v, second %s %+v", a.RPCURL(), a.Deployment(), b.RPCURL(), b.Deployment())
	}
	r, err := publish(ctxT(t), dialURL(t, a.RPCURL(), a.Contract()), user, nil)
	if err != nil {
		t.Fatal(err)
	}
	info, err := dialURL(t, b.RPCURL(), b.Contract()).Dataset(ctxT(t), published(t, r).Id.Uint64())
	if err != nil || info.Owner != addr(user) {
		t.Fatalf("the joined Member does not see the dataset: %+v, %v", info, err)
	}
	// A joined Member's Close leaves the chain running.
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := dialURL(t, a.RPCURL(), a.Contract()).BlockNumber(ctxT(t)); err != nil {
		t.Fatalf("after a joined Member closed: %v", err)
	}
	if _, err := devnet.Join(ctxT(t), devnet.Options{}); err == nil {
		t.Fatal("Join without a directory succeeded")
	}
}

// TestTakeoverAfterClose: the runner closes while two Members use the chain; one of them takes
// over on the same URL, the clients dialled before keep working, and nothing is lost. Then the
// new runner closes and the last one takes over.
func TestTakeoverAfterClose(t *testing.T) {
	dir := t.TempDir()
	user := testKey("takeover user")
	a := join(t, devnet.Options{DataDir: dir, Prefund: []common.Address{addr(user)}})
	b := join(t, devnet.Options{DataDir: dir})
	c := join(t, devnet.Options{DataDir: dir})
	client := dialURL(t, b.RPCURL(), b.Contract()) // dialled before the takeover, used after it
	ctx := ctxT(t)
	r1, err := publish(ctx, client, user, nil)
	if err != nil {
		t.Fatal(err)
	}
	headBefore := head(t, client)

	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	took := waitFor(t, time.Minute, "a Member takes over", func() bool { return running(t, b, c) != nil })
	winner := running(t, b, c)
	other := b
	if winner == b {
		other = c
	}
	if h := head(t, client); h < headBefore {
		t.Fatalf("head %d after the takeover, was %d", h, headBefore)
	}
	if rc, err := client.Eth().TransactionReceipt(ctx, r1.TxHash); err != nil || rc.BlockHash != r1.BlockHash {
		t.Fatalf("the transaction confirmed before the takeover: %v, %v", rc, err)
	}
	r2, err := publish(ctx, client, user, nil)
	if err != nil {
		t.Fatalf("a transaction after the takeover: %v", err)
	}
	if dep, err := devnet.ReadDeployment(dir); err != nil || dep != a.Deployment() {
		t.Fatalf("deployment after the takeover %+v (%v), was %+v", dep, err, a.Deployment())
	}

	if err := winner.Close(); err != nil {
		t.Fatal(err)
	}
	took2 := waitFor(t, time.Minute, "the last Member takes over", other.Running)
	for _, r := range []*chainReceipt{{r1.TxHash, r1.BlockHash}, {r2.TxHash, r2.BlockHash}} {
		if rc, err := client.Eth().TransactionReceipt(ctx, r.tx); err != nil || rc.BlockHash != r.block {
			t.Fatalf("after the second takeover, receipt of %s: %v, %v", r.tx, rc, err)
		}
	}
	if _, err := publish(ctx, client, user, nil); err != nil {
		t.Fatalf("a transaction after the second takeover: %v", err)
	}
	t.Logf("takeover after Close: %v, then %v (poll every 500 ms, then a start)", took, took2)
}

type chainReceipt struct{ tx, block common.Hash }

// TestTakeoverPortTaken: when another program holds the port by the time the runner exits, the
// joined Member does not move the chain; a process that starts it anew takes another port, and
// the joined Member reports where it went.
func TestTakeoverPortTaken(t *testing.T) {
	dir := t.TempDir()
	a := join(t, devnet.Options{DataDir: dir})
	b := join(t, devnet.Options{DataDir: dir})
	port := strings.TrimPrefix(a.RPCURL(), "http://127.0.0.1:")
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:"+port) // another program, which never answers
	if err != nil {
		t.Fatalf("take the port: %v", err)
	}
	defer l.Close()
	d := join(t, devnet.Options{DataDir: dir})
	if !d.Running() || d.RPCURL() == a.RPCURL() {
		t.Fatalf("a new start on a taken port: running %v at %s", d.Running(), d.RPCURL())
	}
	if u, _ := devnet.JoinURL(dir); u != d.RPCURL() {
		t.Fatalf("rpc.json says %s, the chain runs at %s", u, d.RPCURL())
	}
	waitFor(t, 30*time.Second, "the joined Member sees the chain moved", func() bool { return b.Moved() == d.RPCURL() })
	if b.Running() {
		t.Fatal("the joined Member runs a second chain")
	}
}

// TestTakeoverAfterKill: the process running the chain is killed (SIGKILL) right after a
// confirmed transaction; the Member of this process takes over on the same URL with every block
// and confirmed transaction kept, and the client dialled before keeps working.
func TestTakeoverAfterKill(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("uses SIGKILL semantics")
	}
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestHelperProcess$")
	cmd.Env = append(os.Environ(), "DEVNET_HELPER=member", "DEVNET_DIR="+dir)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	defer stdin.Close()
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Wait()
	defer cmd.Process.Kill()
	var txHash common.Hash
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 2 && f[0] == "tx" {
			txHash = common.HexToHash(f[1])
		}
		if len(f) > 0 && f[0] == "error:" {
			t.Fatalf("child: %s", sc.Text())
		}
		if len(f) == 1 && f[0] == "ready" {
			break
		}
	}
	if txHash == (common.Hash{}) {
		t.Fatal("the child exited before it was ready")
	}

	m := join(t, devnet.Options{DataDir: dir})
	if m.Running() {
		t.Fatal("joined a chain another process runs, but runs one itself")
	}
	client := dialURL(t, m.RPCURL(), m.Contract())
	user := testKey("kill user") // funded by the child
	before, err := client.Eth().TransactionReceipt(ctx, txHash)
	if err != nil || before.Status != 1 {
		t.Fatalf("the child's transaction: %v, %v", before, err)
	}
	headBefore := head(t, client)

	if err := cmd.Process.Kill(); err != nil { // SIGKILL
		t.Fatal(err)
	}
	cmd.Wait()
	took := waitFor(t, 30*time.Second, "take over after the kill", m.Running)
	after, err := client.Eth().TransactionReceipt(ctx, txHash)
	if err != nil || after.BlockHash != before.BlockHash {
		t.Fatalf("the transaction confirmed before the kill is gone after the takeover: %v, %v", after, err)
	}
	headAfter := head(t, client)
	if headAfter < headBefore {
		t.Fatalf("head %d after the takeover, %d before the kill: blocks lost", headAfter, headBefore)
	}
	if dep, err := devnet.ReadDeployment(dir); err != nil || dep.Contract != m.Contract() {
		t.Fatalf("deployment after the takeover %+v (%v), joined %s", dep, err, m.Contract())
	}
	if _, err := publish(ctx, client, user, nil); err != nil {
		t.Fatalf("a transaction after the takeover: %v", err)
	}
	t.Logf("takeover after kill -9: %v; head %d before the kill, %d after", took, headBefore, headAfter)
}

// memberChild runs the chain through Join, funds and publishes from "kill user", reports the
// transaction and waits to be killed.
func memberChild(dir string) {
	fail := func(err error) { fmt.Println("error:", err); os.Exit(1) }
	ctx := context.Background()
	user := testKey("kill user")
	m, err := devnet.Join(ctx, devnet.Options{DataDir: dir, Prefund: []common.Address{addr(user)}})
	if err != nil {
		fail(err)
	}
	if !m.Running() {
		fail(errors.New("the child joined instead of running the chain"))
	}
	c, err := chain.Dial(ctx, m.RPCURL(), devnet.ChainID, m.Contract())
	if err != nil {
		fail(err)
	}
	r, err := publish(ctx, c, user, nil)
	if err != nil {
		fail(err)
	}
	fmt.Printf("tx %s\n", r.TxHash.Hex())
	fmt.Println("ready")
	io.Copy(io.Discard, os.Stdin) // until killed
	os.Exit(0)
}

// TestAdopt: a chain one profile ran for itself moves to the shared directory with its
// deployment and datasets; once the shared one exists, another profile's chain stays where it
// is; a chain in use does not move.
func TestAdopt(t *testing.T) {
	user := testKey("adopt user")
	legacy := filepath.Join(t.TempDir(), "chain")
	shared := filepath.Join(t.TempDir(), "parent", "localnet") // its parent does not exist yet
	if ok, err := devnet.Adopt(legacy, shared); ok || err != nil {
		t.Fatalf("Adopt with no chain to adopt: %v, %v", ok, err)
	}

	n := start(t, devnet.Options{DataDir: legacy, Prefund: []common.Address{addr(user)}})
	r, err := publish(ctxT(t), dial(t, n), user, nil)
	if err != nil {
		t.Fatal(err)
	}
	ok, err := devnet.Adopt(legacy, shared)
	if ok || !errors.Is(err, devnet.ErrInUse) || !devnet.HasChain(legacy) || devnet.HasChain(shared) {
		t.Fatalf("Adopt of a running chain: %v, %v; legacy kept %v, shared made %v", ok, err, devnet.HasChain(legacy), devnet.HasChain(shared))
	}
	if err := n.Close(); err != nil {
		t.Fatal(err)
	}

	if ok, err := devnet.Adopt(legacy, shared); !ok || err != nil {
		t.Fatalf("Adopt: %v, %v", ok, err)
	}
	if _, err := os.Stat(legacy); !errors.Is(err, os.ErrNotExist) || !devnet.HasChain(shared) {
		t.Fatalf("after Adopt: legacy %v, shared has a chain %v", err, devnet.HasChain(shared))
	}
	m := join(t, devnet.Options{DataDir: shared})
	if m.Deployment() != n.Deployment() {
		t.Fatalf("deployment after Adopt %+v, was %+v", m.Deployment(), n.Deployment())
	}
	if info, err := dialURL(t, m.RPCURL(), m.Contract()).Dataset(ctxT(t), published(t, r).Id.Uint64()); err != nil || info.Owner != addr(user) {
		t.Fatalf("dataset after Adopt: %+v, %v", info, err)
	}

	other := filepath.Join(t.TempDir(), "chain")
	n2 := start(t, devnet.Options{DataDir: other})
	n2.Close()
	if ok, err := devnet.Adopt(other, shared); ok || err != nil || !devnet.HasChain(other) {
		t.Fatalf("Adopt onto an existing shared chain: %v, %v; legacy kept %v", ok, err, devnet.HasChain(other))
	}

	// A shared directory that is neither empty nor a chain: nothing moves, and the error says so.
	odd := t.TempDir()
	if err := os.WriteFile(filepath.Join(odd, "notes.txt"), []byte("mine"), 0o600); err != nil {
		t.Fatal(err)
	}
	if ok, err := devnet.Adopt(other, odd); ok || err == nil || !strings.Contains(err.Error(), "move it there yourself") || !devnet.HasChain(other) {
		t.Fatalf("Adopt onto a non-empty directory: %v, %v", ok, err)
	}
}

// TestJoinWaitsForAStartingRunner: a Member that comes while the runner holds the directory but
// has not recorded its URL yet waits for it instead of failing.
func TestJoinWaitsForAStartingRunner(t *testing.T) {
	dir := t.TempDir()
	done := make(chan *devnet.Member, 1)
	go func() {
		m, err := devnet.Join(context.Background(), devnet.Options{DataDir: dir})
		if err != nil {
			t.Error(err)
		}
		done <- m
	}()
	// Join again as soon as the first holds the directory (its lock file exists).
	waitFor(t, 30*time.Second, "the first Join takes the directory", func() bool {
		_, err := os.Stat(filepath.Join(dir, "geth", "LOCK"))
		return err == nil
	})
	second := join(t, devnet.Options{DataDir: dir})
	first := <-done
	if first == nil {
		t.FailNow()
	}
	defer first.Close()
	if !first.Running() || second.Running() || second.RPCURL() != first.RPCURL() || second.Deployment() != first.Deployment() {
		t.Fatalf("first running %v %s, second running %v %s", first.Running(), first.RPCURL(), second.Running(), second.RPCURL())
	}
}
