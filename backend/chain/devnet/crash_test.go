package devnet_test

import (
	"bufio"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"

	"github.com/datashare/datashare/backend/chain"
	"github.com/datashare/datashare/backend/chain/devnet"
)

// TestCrashRecovery kills a process running the chain with SIGKILL right after one of its
// transactions was confirmed, restarts the chain and recovers the transaction from the journal:
// as devnet runs (every head synced to disk: nothing lost) and without the sync (go-ethereum's
// behaviour: every block since the last clean shutdown lost).
func TestCrashRecovery(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("uses SIGKILL semantics")
	}
	t.Run("synced", func(t *testing.T) { crashRecovery(t, true) })
	t.Run("unsynced", func(t *testing.T) { crashRecovery(t, false) })
}

func crashRecovery(t *testing.T, synced bool) {
	dir := t.TempDir()
	journal := filepath.Join(t.TempDir(), "signed.tx")
	user, other := testKey("crash user"), testKey("crash other")

	// A clean first start: genesis (user and other funded) and the deployment are on disk.
	n0 := start(t, devnet.Options{DataDir: dir, Prefund: []common.Address{addr(user), addr(other)}})
	cleanHead := head(t, dial(t, n0))
	if err := n0.Close(); err != nil {
		t.Fatal(err)
	}

	// The child publishes (journaled), confirms and waits to be killed.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestHelperProcess$")
	cmd.Env = append(os.Environ(), "DEVNET_HELPER=crash", "DEVNET_DIR="+dir, "DEVNET_JOURNAL="+journal)
	if !synced {
		cmd.Env = append(cmd.Env, "DEVNET_NOSYNC=1")
	}
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
	lines := make(chan string)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	var (
		txHash  common.Hash
		txBlock uint64
		rss     []string
		startUs string
	)
wait:
	for {
		select {
		case line, ok := <-lines:
			if !ok {
				cmd.Wait()
				t.Fatal("child exited before it was ready")
			}
			f := strings.Fields(line)
			switch {
			case len(f) == 0:
			case f[0] == "tx" && len(f) == 3:
				txHash = common.HexToHash(f[1])
				txBlock, _ = strconv.ParseUint(f[2], 10, 64)
			case f[0] == "rss" && len(f) == 2:
				rss = append(rss, f[1])
			case f[0] == "started" && len(f) == 2:
				startUs = f[1]
			case f[0] == "ready":
				break wait
			case f[0] == "error:":
				t.Fatalf("child: %s", line)
			}
		case <-ctx.Done():
			t.Fatal("child not ready in time")
		}
	}

	// While the child runs, a second instance joins over RPC and sends a transaction that nobody
	// journals; it caches other's nonce (next = 1).
	url, err := devnet.JoinURL(dir)
	if err != nil {
		t.Fatal(err)
	}
	dep, err := devnet.ReadDeployment(dir)
	if err != nil {
		t.Fatal(err)
	}
	joined, err := chain.Dial(ctx, url, devnet.ChainID, dep.Contract)
	if err != nil {
		t.Fatal(err)
	}
	defer joined.Close()
	if r, err := joined.Eth().TransactionReceipt(ctx, txHash); err != nil || r.Status != 1 {
		t.Fatalf("the child's transaction is not confirmed: %v", err)
	}
	if _, err := publish(ctx, joined, other, nil); err != nil {
		t.Fatal(err)
	}
	headBeforeKill := head(t, joined)

	if err := cmd.Process.Kill(); err != nil { // SIGKILL
		t.Fatal(err)
	}
	cmd.Wait()

	// Restart on the same directory.
	t1 := time.Now()
	n := start(t, devnet.Options{DataDir: dir})
	restart := time.Since(t1)
	if n.RPCURL() != url {
		t.Errorf("RPC moved from %s to %s", url, n.RPCURL())
	}
	c := dial(t, n)
	headAfter := head(t, c)
	_, rerr := c.Eth().TransactionReceipt(ctx, txHash)
	lost := errors.Is(rerr, ethereum.NotFound)
	if rerr != nil && !lost {
		t.Fatal(rerr)
	}
	t.Logf("observed: clean-shutdown head %d; child's tx mined in block %d; head before kill %d; head after restart %d; child's tx %s",
		cleanHead, txBlock, headBeforeKill, headAfter, map[bool]string{true: "lost", false: "kept"}[lost])
	t.Logf("child: start %s µs, RSS %v kB (after start, after tx); restart after kill %v", startUs, rss, restart)
	if synced && lost {
		// The child's block was followed by another block and many round trips before the kill:
		// its sync has long happened.
		t.Errorf("the chain lost a block confirmed before the kill despite syncing each head")
	}
	if n.Contract() != dep.Contract {
		t.Logf("contract redeployed at %s (was %s)", n.Contract(), dep.Contract)
	}

	// Recover from the journal: the same transaction, with the same effect.
	raw, err := os.ReadFile(journal)
	if err != nil {
		t.Fatal(err)
	}
	r, err := c.Resubmit(ctx, raw)
	if err != nil {
		t.Fatalf("resubmit: %v", err)
	}
	if r.TxHash != txHash || r.Status != 1 {
		t.Fatalf("resubmit gave %s status %d", r.TxHash, r.Status)
	}
	ev := published(t, r)
	if ev.Owner != addr(user) || ev.Id.Uint64() != 1 {
		t.Fatalf("published %+v", ev)
	}
	if lost && r.BlockNumber.Uint64() <= cleanHead {
		t.Fatalf("re-mined in block %d, at or below the clean head %d", r.BlockNumber, cleanHead)
	}

	// The joined client's cached nonce for other is stale if the chain forgot other's transaction:
	// it must re-read it instead of leaving a gap that would never be mined.
	sctx, scancel := context.WithTimeout(ctx, 20*time.Second)
	defer scancel()
	r2, err := publish(sctx, joined, other, nil)
	if err != nil {
		t.Fatalf("joined instance after the restart: %v", err)
	}
	tx, _, err := c.Eth().TransactionByHash(ctx, r2.TxHash)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("joined instance sent with nonce %d after the restart", tx.Nonce())
	if lost && tx.Nonce() != 0 {
		t.Fatalf("nonce %d, want 0 (the chain forgot the earlier one)", tx.Nonce())
	}
}

func head(t testing.TB, c *chain.Client) uint64 {
	t.Helper()
	h, err := c.BlockNumber(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	return h
}
