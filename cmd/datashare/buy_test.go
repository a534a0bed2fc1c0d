package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/datashare/datashare/backend/share"
)

// lockedBuffer is a bytes.Buffer a running command writes while the test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// onOneChain makes two profiles that use the same local chain (each command runs it or joins
// it), as two people on one computer.
func onOneChain(t *testing.T) (*profile, *profile) {
	t.Helper()
	chainDir := t.TempDir()
	a, b := newProfile(t), newProfile(t)
	for _, p := range []*profile{a, b} {
		p.env = append(p.env, "DATASHARE_LOCALNET_DIR="+chainDir) // the later one wins
	}
	return a, b
}

func jsonOf[T any](t *testing.T, r result) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(r.stdout), &v); err != nil {
		t.Fatalf("%v in %q", err, r.stdout)
	}
	return v
}

// TestPaidRequestCLI: B pays for A's dataset with request --no-wait; a second request pays
// nothing; the refund is refused before the timeout with its time; a waiting request ends when
// A answers (with share, the grant path); A's earnings, withdraw and price; B cannot pay more
// than it has, nor change A's price.
func TestPaidRequestCLI(t *testing.T) {
	a, b := onOneChain(t)
	dir := t.TempDir()
	good := randomFile(t, dir, "good.bin", 2000)
	a.ok("publish", good, "--price", "0.5", "--public", "--name", "rain data", "--description", "daily rain", "--yes")
	aSt := jsonOf[share.Status](t, a.ok("--json", "status"))
	bSt := jsonOf[share.Status](t, b.ok("--json", "status"))

	cat := jsonOf[[]share.CatalogItem](t, a.ok("--json", "catalog", "--search", "RAIN"))
	if len(cat) != 1 || cat[0].ID != 1 || cat[0].Name != "rain data" || !cat[0].Mine || cat[0].Price != "500000000000000000" {
		t.Fatalf("catalog = %+v", cat)
	}

	r := jsonOf[share.RequestResult](t, b.ok("--json", "request", "1", "--no-wait", "--yes"))
	if !r.Paid || r.State != share.RequestPending || r.Price != "500000000000000000" || r.Account != bSt.Account {
		t.Fatalf("request = %+v", r)
	}
	again := jsonOf[share.RequestResult](t, b.ok("--json", "request", "1", "--no-wait", "--yes"))
	if again.Paid || again.TxHash != r.TxHash {
		t.Fatalf("the second request = %+v; want the first one found, not paid again", again)
	}
	if res := b.run("refund", "1", "--yes"); res.code != exitFailure || !strings.Contains(res.stderr, "the refund for dataset 1 is available from "+r.RefundableAt.UTC().Format("2006-01-02 15:04:05 UTC")) {
		t.Fatalf("refund before the timeout: exit %d, %s", res.code, res.stderr)
	}
	reqs := jsonOf[[]share.RequestInfo](t, b.ok("--json", "requested"))
	if len(reqs) != 1 || reqs[0].Dataset != 1 || reqs[0].RefundAvailable || reqs[0].Amount != r.Price {
		t.Fatalf("requested = %+v", reqs)
	}
	if e := jsonOf[share.Earnings](t, a.ok("--json", "earnings")); len(e.Datasets) != 1 || e.Datasets[0].Pending != 1 || e.Datasets[0].Escrow != r.Price || e.Withdrawable != "0" {
		t.Fatalf("earnings with a request pending = %+v", e)
	}

	// B waits for the key; A answers.
	waiting := b.cmd("request", "1", "--yes")
	var out, errb lockedBuffer
	waiting.Stdout, waiting.Stderr = &out, &errb
	if err := waiting.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- waiting.Wait() }()
	deadline := time.Now().Add(time.Minute)
	for !strings.Contains(errb.String(), "waiting for the owner's app to deliver the key") {
		select {
		case err := <-exited:
			t.Fatalf("request exited (%v) before the key came: %s %s", err, out.String(), errb.String())
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("request does not say it waits: %s", errb.String())
		}
	}
	a.ok("share", "1", bSt.Account, "--yes")
	select {
	case err := <-exited:
		if err != nil || !strings.Contains(out.String(), "the key of version 1 came: datashare get 1 -o PATH") {
			t.Fatalf("the waiting request ended with %v: %s %s", err, out.String(), errb.String())
		}
	case <-time.After(time.Minute):
		waiting.Process.Kill()
		t.Fatalf("the waiting request did not end once the key came: %s", errb.String())
	}

	e := jsonOf[share.Earnings](t, a.ok("--json", "earnings"))
	if e.Withdrawable != r.Price || e.Earned != r.Price || e.Datasets[0].Sales != 1 || e.Datasets[0].Pending != 0 {
		t.Fatalf("earnings after the sale = %+v", e)
	}
	wd := jsonOf[share.WithdrawResult](t, a.ok("--json", "withdraw", "--yes"))
	if wd.Amount != r.Price || wd.Account != aSt.Account {
		t.Fatalf("withdraw = %+v", wd)
	}
	if res := a.run("withdraw", "--yes"); res.code != exitFailure || !strings.Contains(res.stderr, "has nothing to withdraw") {
		t.Fatalf("a second withdraw: exit %d, %s", res.code, res.stderr)
	}
	if res := b.run("request", "1", "--yes"); res.code != exitFailure || !strings.Contains(res.stderr, "holds the key of version 1 of dataset 1, its newest, already") {
		t.Fatalf("a request for what B holds: exit %d, %s", res.code, res.stderr)
	}

	pr := jsonOf[share.PriceResult](t, a.ok("--json", "price", "1", "0.75", "--yes"))
	if pr.Old != "500000000000000000" || pr.Price != "750000000000000000" {
		t.Fatalf("price = %+v", pr)
	}
	if res := b.run("price", "1", "1", "--yes"); res.code != exitNoAccess || !strings.Contains(res.stderr, "only its owner can change the price of it") {
		t.Fatalf("B sets A's price: exit %d, %s", res.code, res.stderr)
	}

	// More than B has: refused before anything is sent.
	dear := filepath.Join(dir, "dear.bin")
	if err := os.WriteFile(dear, []byte("dear"), 0o644); err != nil {
		t.Fatal(err)
	}
	a.ok("publish", dear, "--price", "5000", "--yes")
	before := jsonOf[share.Status](t, b.ok("--json", "status"))
	if res := b.run("request", "2", "--yes"); res.code != exitFailure || !strings.Contains(res.stderr, "dataset 2 costs 5000 ETH, but "+bSt.Account+" has") {
		t.Fatalf("a request B cannot pay: exit %d, %s", res.code, res.stderr)
	}
	if after := jsonOf[share.Status](t, b.ok("--json", "status")); after.Balance != before.Balance {
		t.Fatalf("B's balance changed from %s to %s", before.Balance, after.Balance)
	}
}
