package share_test

import (
	"context"
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/params"

	"github.com/datashare/datashare/backend/approval"
	"github.com/datashare/datashare/backend/chain/devnet/devnettest"
	"github.com/datashare/datashare/backend/share"
	"github.com/datashare/datashare/backend/walletconnect/wctest"
)

// TestFulfilAsOperator: the account is a phone wallet (the real WalletConnect SDK through a
// local relay). A paid request is not answered while the device key is not the wallet's
// operator (the owner is told, nothing is sent); once the phone approves operator enable, the
// device key answers it and the escrow goes to the wallet's account.
func TestFulfilAsOperator(t *testing.T) {
	wctest.RequireSDK(t)
	w := newPayWorld(t, 1)
	relay := wctest.StartRelay(t, wctest.RelayOptions{})
	var phoneAsked []string
	s := open(t, share.Config{
		RelayURL:       relay.URL(),
		OnPhoneRequest: func(_ context.Context, sum approval.Summary) { phoneAsked = append(phoneAsked, sum.Action) },
		Confirm: func(context.Context, approval.Summary) (bool, error) {
			return false, errors.New("asked to approve on this computer while a phone is paired")
		},
	})
	device := s.Account()
	key, _ := crypto.GenerateKey()
	wallet := crypto.PubkeyToAddress(key.PublicKey)
	n := s.Network()
	devnettest.Fund(t, n.RPCURL, wallet, big.NewInt(params.Ether))
	p, err := s.PairWallet(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	wctest.StartWallet(t, wctest.WalletOptions{RelayURL: relay.URL(), URI: p.URI, Key: key, RPCURL: n.RPCURL, ChainID: n.ChainID})
	ctx, cancel := context.WithTimeout(t.Context(), 120*time.Second)
	defer cancel()
	if _, err := s.WaitWallet(ctx); err != nil {
		t.Fatal(err)
	}
	if st, err := s.OperatorStatus(ctx); err != nil || !st.Needed || st.Enabled || st.Account != wallet.Hex() || st.Device != device.Hex() {
		t.Fatalf("operator status before enabling: %+v %v", st, err)
	}
	id := publishSmall(t, s, 1, testPrice)[0]
	events := make(chan share.FulfilEvent, 100)
	if err := s.StartFulfilment(share.FulfilOptions{OnEvent: func(e share.FulfilEvent) { events <- e }}); err != nil {
		t.Fatal(err)
	}
	before := w.nonce(device)
	if err := w.request(w.buyers[0], id, testPrice); err != nil {
		t.Fatal(err)
	}
	timeout := time.After(30 * time.Second)
	for told := false; !told; {
		select {
		case e := <-events:
			told = e.Kind == share.FulfilNoOperator
		case <-timeout:
			t.Fatal("the owner was not told that the device key is not the wallet's operator")
		}
	}
	if n := w.nonce(device); n != before {
		t.Fatalf("the device key sent %d transactions without being an operator", n-before)
	}
	st, err := s.EnableOperator(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !st.Enabled {
		t.Fatalf("after enabling: %+v", st)
	}
	w.waitGranted(id, w.buyers[0].addr, 30*time.Second)
	if v := w.withdrawable(wallet); v.Cmp(testPrice) != 0 {
		t.Fatalf("the wallet's account can withdraw %s wei, want %s", v, testPrice)
	}
	if n := w.nonce(device); n != before+1 {
		t.Fatalf("the device key sent %d transactions, want 1", n-before)
	}
	if st, err := s.DisableOperator(ctx); err != nil || st.Enabled {
		t.Fatalf("after disabling: %+v %v", st, err)
	}
	if len(phoneAsked) < 3 { // publish, enable, disable
		t.Fatalf("asked on the phone: %v", phoneAsked)
	}
}
