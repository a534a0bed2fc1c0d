package share_test

import (
	"context"
	"errors"
	"math/big"
	"path/filepath"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/params"

	"github.com/datashare/datashare/backend/approval"
	"github.com/datashare/datashare/backend/chain/devnet/devnettest"
	"github.com/datashare/datashare/backend/index"
	"github.com/datashare/datashare/backend/keys"
	"github.com/datashare/datashare/backend/share"
	"github.com/datashare/datashare/backend/walletconnect"
	"github.com/datashare/datashare/backend/walletconnect/wctest"
)

// TestPublishApprovedOnPhone pairs the real WalletConnect SDK as a phone wallet through a local
// relay, publishes with approval on it, and checks that the dataset is owned by the wallet's
// account, listed under it, and fetchable.
func TestPublishApprovedOnPhone(t *testing.T) {
	wctest.RequireSDK(t)
	relay := wctest.StartRelay(t, wctest.RelayOptions{})
	var phoneAsked []approval.Summary
	s := open(t, share.Config{
		RelayURL:       relay.URL(),
		OnPhoneRequest: func(_ context.Context, sum approval.Summary) { phoneAsked = append(phoneAsked, sum) },
		Confirm: func(context.Context, approval.Summary) (bool, error) {
			return false, errors.New("asked to approve on this computer while a phone is paired")
		},
	})
	device := s.Account()
	if st := s.WalletStatus(); st.Approval != share.ApproveOnComputer || st.Connected {
		t.Fatalf("before pairing: %+v", st)
	}

	key, _ := crypto.GenerateKey()
	wallet := crypto.PubkeyToAddress(key.PublicKey)
	n := s.Network()
	devnettest.Fund(t, n.RPCURL, wallet, big.NewInt(params.Ether))
	p, err := s.PairWallet(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if time.Until(p.Expiry) < time.Minute {
		t.Fatalf("pairing expires at %v", p.Expiry)
	}
	wctest.StartWallet(t, wctest.WalletOptions{RelayURL: relay.URL(), URI: p.URI, Key: key, RPCURL: n.RPCURL, ChainID: n.ChainID})
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	st, err := s.WaitWallet(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Approval != share.ApproveOnPhone || st.Account != wallet.Hex() || s.Account() != wallet {
		t.Fatalf("after pairing: %+v (account %s, wallet %s)", st, s.Account().Hex(), wallet.Hex())
	}

	path, data := writeRandom(t, 150_000)
	d, err := s.Publish(ctx, path, share.PublishOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if d.Owner != wallet.Hex() || d.ID == 0 {
		t.Fatalf("published %+v, want owner %s", d, wallet.Hex())
	}
	if len(phoneAsked) != 1 || phoneAsked[0].Action != "Publish dataset" {
		t.Fatalf("phone requests: %+v", phoneAsked)
	}
	list, err := s.List(ctx)
	if err != nil || len(list) != 1 || list[0].Owner != wallet.Hex() {
		t.Fatalf("List = %+v, %v", list, err)
	}
	fetchEqual(t, s, d.ID, data)
	// A read-only open (ls, status) leaves the wallet's session locked with the other secrets,
	// and shows the account recorded in the clear: the wallet's while it is paired.
	if ro := openReadOnlyBeside(t, s); ro.Account() != wallet {
		t.Fatalf("read-only account while paired = %s, want the wallet's %s", ro.Account().Hex(), wallet.Hex())
	} else if list, err := ro.List(ctx); err != nil || len(list) != 1 || list[0].ID != d.ID {
		t.Fatalf("read-only List while paired = %+v, %v", list, err)
	}

	if err := s.DisconnectWallet(ctx); err != nil {
		t.Fatal(err)
	}
	if st := s.WalletStatus(); st.Approval != share.ApproveOnComputer || s.Account() != device {
		t.Fatalf("after disconnect: %+v", st)
	}
	if ro := openReadOnlyBeside(t, s); ro.Account() != device {
		t.Fatalf("read-only account after disconnect = %s, want the device's %s", ro.Account().Hex(), device.Hex())
	}
}

// openReadOnlyBeside opens s's profile read-only, on s's local chain, while s stays open.
func openReadOnlyBeside(t *testing.T, s *share.Service) *share.Service {
	t.Helper()
	localnet := share.LocalnetForTests()
	if localnet == "" {
		localnet = filepath.Join(s.DataDir(), "test-localnet") // as open does
	}
	ro := open(t, share.Config{DataDir: s.DataDir(), LocalnetDir: localnet, ReadOnly: true, Confirm: refuseToAsk})
	t.Cleanup(func() { ro.Close() })
	return ro
}

// TestPhoneRelayUnavailable: with no relay, pairing fails with a clear reason and publishing on
// this computer keeps working.
func TestPhoneRelayUnavailable(t *testing.T) {
	s := open(t, share.Config{RelayURL: "ws://127.0.0.1:9"})
	_, err := s.PairWallet(t.Context())
	if !errors.Is(err, walletconnect.ErrRelayUnavailable) {
		t.Fatalf("pairing without a relay: %v", err)
	}
	st := s.WalletStatus()
	if st.Approval != share.ApproveOnComputer || st.Unavailable == "" {
		t.Fatalf("status = %+v", st)
	}
	path, _ := writeRandom(t, 1000)
	if _, err := s.Publish(t.Context(), path, share.PublishOptions{}, nil); err != nil {
		t.Fatalf("publishing on this computer without a relay: %v", err)
	}
}

// TestResumeFindsUnjournaledPublish: a publish that reached the chain without the app learning
// of it (a phone wallet sent it; the app stopped before the answer came back) is found on the
// next attempt instead of being sent a second time.
func TestResumeFindsUnjournaledPublish(t *testing.T) {
	dir := t.TempDir()
	path, data := writeRandom(t, 5000)
	s := open(t, share.Config{DataDir: dir})
	d1, err := s.Publish(t.Context(), path, share.PublishOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	forgetConfirmation(t, dir)

	s = open(t, share.Config{DataDir: dir, Confirm: func(context.Context, approval.Summary) (bool, error) {
		return false, errors.New("asked to approve a publish that is already on chain")
	}})
	d2, err := s.Publish(t.Context(), path, share.PublishOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if d2.ID != d1.ID || d2.TxHash != d1.TxHash {
		t.Fatalf("resumed publish = %+v, first = %+v", d2, d1)
	}
	list, _ := s.List(t.Context())
	if len(list) != 1 {
		t.Fatalf("List = %+v", list)
	}
	fetchEqual(t, s, d1.ID, data)
}

// forgetConfirmation turns the profile's confirmed publish back into one waiting for approval,
// with no transaction recorded: what the journal holds when a wallet sent the transaction but
// the app stopped before hearing about it.
func forgetConfirmation(t *testing.T, dir string) {
	t.Helper()
	k, err := keys.Open(t.Context(), keys.Options{DataDir: dir, Passphrase: pass, NoKeyring: true})
	if err != nil {
		t.Fatal(err)
	}
	db, err := index.Open(indexPath(t, dir))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	jobs, err := db.Jobs(t.Context(), k.DeviceAddress().Hex())
	if err != nil || len(jobs) != 1 || jobs[0].Stage != index.JobConfirmed {
		t.Fatalf("jobs = %+v, %v", jobs, err)
	}
	j := jobs[0]
	j.Stage, j.TxHash, j.RawTx, j.DatasetID, j.Block = index.JobMetadata, "", nil, 0, 0
	if err := db.PutJob(t.Context(), j); err != nil {
		t.Fatal(err)
	}
	if err := db.ClearDatasets(t.Context()); err != nil {
		t.Fatal(err)
	}
}
