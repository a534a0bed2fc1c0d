package main

import (
	"encoding/json"
	"math/big"
	"strings"
	"testing"
	"time"

	"filippo.io/age"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/datashare/datashare/backend/chain"
	"github.com/datashare/datashare/backend/chain/devnet"
	"github.com/datashare/datashare/backend/seal"
	"github.com/datashare/datashare/backend/share"
	"github.com/datashare/datashare/contracts"
)

// TestServeAnswersPaidRequests: while serve runs, a buyer pays for the profile's dataset and
// receives the key within seconds (serve logs the answer, the escrow is the owner's); after
// serve stops, the inbox is empty and the policy of the dataset is the default.
func TestServeAnswersPaidRequests(t *testing.T) {
	ctx := t.Context()
	p := newProfile(t)
	p.ok("publish", randomFile(t, t.TempDir(), "sold.bin", 5000), "--price", "0.01", "--yes")
	var localnet string
	for _, e := range p.env {
		if v, ok := strings.CutPrefix(e, "DATASHARE_LOCALNET_DIR="); ok {
			localnet = v
		}
	}
	s := p.serve(bin)

	// The buyer: a key of its own, funded by the local chain's faucet, its encryption key
	// registered, paying through the chain package (the buyer's command does the same).
	url, err := devnet.JoinURL(localnet)
	if err != nil {
		t.Fatal(err)
	}
	dep, err := devnet.ReadDeployment(localnet)
	if err != nil {
		t.Fatal(err)
	}
	c, err := chain.Dial(ctx, url, devnet.ChainID, dep.Contract)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	key, _ := crypto.GenerateKey()
	buyer := crypto.PubkeyToAddress(key.PublicKey)
	id, _ := age.GenerateX25519Identity()
	h, err := devnet.Fund(ctx, url, buyer, big.NewInt(1e18))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.WaitReceipt(ctx, h); err != nil {
		t.Fatal(err)
	}
	price := big.NewInt(1e16)
	send := func(data []byte, value *big.Int) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for {
			_, err := c.SignAndSend(ctx, key, chain.Tx{To: dep.Contract, Data: data, Value: value}, chain.Estimate{}, nil)
			if err == nil {
				return
			}
			// The funding shows in the latest state a moment after its receipt.
			if share.Code(err) != share.CodeInsufficientFunds || time.Now().After(deadline) {
				t.Fatal(err)
			}
			time.Sleep(10 * time.Millisecond) // polling with a deadline
		}
	}
	send(contracts.NewDataShare().PackRegisterKey(seal.PublicKeyBytes(id)), nil)
	start := time.Now()
	send(chain.RequestAccessData(1), price)
	s.waitLog("kind=fulfilled", "dataset=1", "requester="+buyer.Hex())
	t.Logf("answered %s after the request was sent", time.Since(start).Round(time.Millisecond))
	evs, err := c.GrantedEvents(ctx, nil, &buyer, 0, ^uint64(0))
	if err != nil || len(evs) != 1 || !evs[0].Value.Fulfilled || evs[0].Value.Paid.Cmp(price) != 0 {
		t.Fatalf("grants to the buyer: %v %v", evs, err)
	}
	if _, err := seal.OpenKey(evs[0].Value.Envelope, id); err != nil {
		t.Fatalf("the buyer cannot open its key: %v", err)
	}
	var st share.Status
	if err := json.Unmarshal([]byte(p.ok("--json", "status").stdout), &st); err != nil {
		t.Fatal(err)
	}
	owner := evs[0].Value.Owner
	if owner.Hex() != st.Account {
		t.Fatalf("granted by %s, the profile is %s", owner.Hex(), st.Account)
	}
	if v, err := c.Withdrawable(ctx, owner); err != nil || v.Cmp(price) != 0 {
		t.Fatalf("the owner can withdraw %v (%v), want %s", v, err, price)
	}
	s.stop()

	if r := p.ok("--json", "requests"); strings.TrimSpace(r.stdout) != "[]" {
		t.Fatalf("requests after the answer: %s", r.stdout)
	}
	var pol share.AnswerPolicy
	if err := json.Unmarshal([]byte(p.ok("--json", "policy", "1").stdout), &pol); err != nil {
		t.Fatal(err)
	}
	if pol.Mode != "default" || pol.Price != price.String() {
		t.Fatalf("policy %+v", pol)
	}
}
