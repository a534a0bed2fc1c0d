package api

import (
	"context"
	"errors"
	"log/slog"
	"math/big"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/datashare/datashare/backend/approval"
	"github.com/datashare/datashare/backend/share"
)

// TestPaidOverARealService runs the paid-access use cases through the socket of a real profile
// (the owner, as under datashare serve), with a second real profile on the same local chain as
// the buyer: the same results and errors (codes, sentinels, messages) as in-process, the
// buyer's request streamed with its stages and its approval asked of the client.
func TestPaidOverARealService(t *testing.T) {
	localnet := t.TempDir()
	var log syncBuffer
	f := openFixtureOn(t, localnet, slog.New(slog.NewTextHandler(&log, &slog.HandlerOptions{Level: slog.LevelDebug})))
	loc := Local(f.svc)
	buyer, err := share.Open(t.Context(), share.Config{
		DataDir: t.TempDir(), LocalnetDir: localnet, NoKeyring: true, Loopback: true, IPFSMode: "embedded",
		Passphrase: func(context.Context, string) (string, error) { return "another horse battery staple", nil },
		Confirm:    approve,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { buyer.Close() })
	var mu sync.Mutex
	var asked []string
	c := f.dial(t, ClientOptions{Confirm: func(_ context.Context, s approval.Summary) (bool, error) {
		mu.Lock()
		asked = append(asked, s.Action)
		mu.Unlock()
		return true, nil
	}})
	askedNow := func() []string {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(asked)
	}
	ctx := t.Context()
	me, them := f.svc.Account().Hex(), buyer.Account().Hex()
	quarter, _ := new(big.Int).SetString("250000000000000000", 10)

	path, _ := writeFile(t, "weather.csv", 100<<10)
	d, err := c.Publish(ctx, path, share.PublishOptions{Name: "weather", Description: "rain in 2025", Price: quarter, Public: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	theirPath, _ := writeFile(t, "theirs.bin", 10<<10)
	theirs, err := buyer.Publish(ctx, theirPath, share.PublishOptions{Name: "theirs", Price: quarter, Public: true}, nil)
	if err != nil {
		t.Fatal(err)
	}

	// Refusals: the same as in-process, codes and sentinels kept, nothing asked.
	before := len(askedNow())
	_, rerr := c.SetPrice(ctx, theirs.ID, big.NewInt(1))
	_, lerr := loc.SetPrice(ctx, theirs.ID, big.NewInt(1))
	sameError(t, "SetPrice of another's dataset", lerr, rerr)
	if share.Code(rerr) != share.CodeNotOwner || !errors.Is(rerr, share.ErrNotOwner) {
		t.Errorf("SetPrice of another's dataset = %v (%s), want not_owner matching share.ErrNotOwner", rerr, share.Code(rerr))
	}
	_, rerr = c.SetPrice(ctx, d.ID, big.NewInt(-1))
	_, lerr = loc.SetPrice(ctx, d.ID, big.NewInt(-1))
	sameError(t, "SetPrice below 0", lerr, rerr)
	_, rerr = c.Request(ctx, d.ID, share.RequestOptions{NoWait: true}, nil)
	_, lerr = loc.Request(ctx, d.ID, share.RequestOptions{NoWait: true}, nil)
	sameError(t, "Request of one's own dataset", lerr, rerr)
	_, rerr = c.Request(ctx, 999, share.RequestOptions{NoWait: true}, nil)
	_, lerr = loc.Request(ctx, 999, share.RequestOptions{NoWait: true}, nil)
	sameError(t, "Request of a dataset that does not exist", lerr, rerr)
	if !errors.Is(rerr, share.ErrNotFound) {
		t.Errorf("Request of dataset 999 = %v (%s), want not_found", rerr, share.Code(rerr))
	}
	_, rerr = c.Refund(ctx, theirs.ID)
	_, lerr = loc.Refund(ctx, theirs.ID)
	sameError(t, "Refund with nothing to refund", lerr, rerr)
	_, rerr = c.Withdraw(ctx)
	_, lerr = loc.Withdraw(ctx)
	sameError(t, "Withdraw of nothing", lerr, rerr)
	_, rerr = c.GrantRequest(ctx, d.ID, them)
	_, lerr = loc.GrantRequest(ctx, d.ID, them)
	sameError(t, "GrantRequest with no request", lerr, rerr)
	_, rerr = c.SetPolicy(ctx, d.ID, "sometimes", nil)
	_, lerr = loc.SetPolicy(ctx, d.ID, "sometimes", nil)
	sameError(t, "SetPolicy of an unknown mode", lerr, rerr)
	if n := len(askedNow()); n != before {
		t.Fatalf("refused calls asked for approval: %v", askedNow()[before:])
	}

	// The owner's side: price, policy, operator status.
	pr, err := c.SetPrice(ctx, d.ID, new(big.Int).Rsh(quarter, 1))
	if err != nil || pr.Price != "125000000000000000" || pr.Old != quarter.String() || pr.TxHash == "" {
		t.Fatalf("SetPrice = %+v, %v", pr, err)
	}
	pol, err := c.SetPolicy(ctx, d.ID, share.PolicyManual, nil)
	if err != nil || pol.Mode != share.PolicyManual {
		t.Fatalf("SetPolicy = %+v, %v", pol, err)
	}
	lpol, _ := loc.Policy(ctx, d.ID)
	pol, err = c.Policy(ctx, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	sameJSON(t, "Policy", lpol, pol)
	op, err := c.OperatorStatus(ctx)
	lop, _ := loc.OperatorStatus(ctx)
	if err != nil || op.Account != me || op.Needed {
		t.Fatalf("OperatorStatus = %+v, %v", op, err)
	}
	sameJSON(t, "OperatorStatus", lop, op)

	// The catalog lists both public datasets (the buyer's name read from its IPFS node over
	// the loopback).
	addrs, err := buyer.IPFSAddrs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.svc.ConnectIPFS(ctx, addrs); err != nil {
		t.Fatal(err)
	}
	cat, err := c.Catalog(ctx, share.CatalogOptions{Search: "rain"})
	lcat, _ := loc.Catalog(ctx, share.CatalogOptions{Search: "rain"})
	if err != nil || len(cat) != 1 || cat[0].ID != d.ID || !cat[0].Mine {
		t.Fatalf("Catalog --search rain = %+v, %v", cat, err)
	}
	sameJSON(t, "Catalog", lcat, cat)

	// The buyer's side through the API: the served profile pays for the other's dataset and
	// returns at once; its progress and approvals reach the client.
	prog := newRecorder()
	rr, err := c.Request(ctx, theirs.ID, share.RequestOptions{NoWait: true}, prog)
	if err != nil || !rr.Paid || rr.State != share.RequestPending || rr.Price != quarter.String() || rr.TxHash == "" {
		t.Fatalf("Request --no-wait = %+v, %v", rr, err)
	}
	if len(prog.stages) == 0 {
		t.Errorf("Request streamed no stage")
	}
	req, err := c.Requested(ctx)
	lreq, _ := loc.Requested(ctx)
	if err != nil || len(req) != 1 || req[0].Dataset != theirs.ID || req[0].Amount != quarter.String() {
		t.Fatalf("Requested = %+v, %v", req, err)
	}
	sameJSON(t, "Requested", lreq, req)
	// The same request again pays nothing more.
	rr, err = c.Request(ctx, theirs.ID, share.RequestOptions{NoWait: true}, nil)
	if err != nil || rr.Paid {
		t.Fatalf("Request again = %+v, %v", rr, err)
	}

	// The owner's inbox: the buyer asks for this profile's dataset; the policy is manual, so
	// it waits, and the owner grants it through the API.
	if _, err := buyer.Request(ctx, d.ID, share.RequestOptions{NoWait: true}, nil); err != nil {
		t.Fatal(err)
	}
	in, err := c.Inbox(ctx)
	lin, _ := loc.Inbox(ctx)
	if err != nil || len(in) != 1 || in[0].Dataset != d.ID || in[0].Requester != them || in[0].Auto {
		t.Fatalf("Inbox = %+v, %v", in, err)
	}
	sameJSON(t, "Inbox", lin, in)
	ar, err := c.GrantRequest(ctx, d.ID, them)
	if err != nil || ar.Answer != "granted" || ar.Amount != "125000000000000000" || ar.TxHash == "" {
		t.Fatalf("GrantRequest = %+v, %v", ar, err)
	}
	_, rerr = c.DeclineRequest(ctx, d.ID, them)
	_, lerr = loc.DeclineRequest(ctx, d.ID, them)
	sameError(t, "DeclineRequest after the grant", lerr, rerr)
	e, err := c.Earnings(ctx)
	le, _ := loc.Earnings(ctx)
	if err != nil || e.Withdrawable != "125000000000000000" || len(e.Datasets) != 1 || e.Datasets[0].Sales != 1 {
		t.Fatalf("Earnings = %+v, %v", e, err)
	}
	sameJSON(t, "Earnings", le, e)
	w, err := c.Withdraw(ctx)
	if err != nil || w.Amount != "125000000000000000" || w.TxHash == "" {
		t.Fatalf("Withdraw = %+v, %v", w, err)
	}

	got := askedNow()
	for _, want := range []string{"Publish dataset"} {
		if !slices.Contains(got, want) {
			t.Errorf("the client was not asked %q: %q", want, got)
		}
	}
	if len(got) < 6 { // publish, price, key registration, request, grant, withdraw
		t.Errorf("the client was asked %d approvals, want at least 6: %q", len(got), got)
	}
	if f.fallback.count() != 0 {
		t.Errorf("the serving process's own prompt was asked %d times for calls of the API", f.fallback.count())
	}
	for _, m := range []string{"catalog", "request", "requested", "refund", "earnings", "withdraw", "setPrice", "inbox", "grantRequest", "declineRequest", "policy", "setPolicy", "operatorStatus"} {
		if !strings.Contains(log.String(), "method="+m+"\n") {
			t.Errorf("the server logged no call of %s", m)
		}
	}
}
