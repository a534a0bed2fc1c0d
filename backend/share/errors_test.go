package share_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"filippo.io/age"

	"github.com/datashare/datashare/backend/approval"
	"github.com/datashare/datashare/backend/chain"
	"github.com/datashare/datashare/backend/chain/devnet"
	"github.com/datashare/datashare/backend/config"
	"github.com/datashare/datashare/backend/ipfs"
	"github.com/datashare/datashare/backend/keys"
	"github.com/datashare/datashare/backend/seal"
	"github.com/datashare/datashare/backend/share"
	"github.com/datashare/datashare/backend/walletconnect"
	"github.com/datashare/datashare/contracts"
)

type selfCoded struct{}

func (selfCoded) Error() string     { return "already published elsewhere" }
func (selfCoded) ErrorCode() string { return share.CodeBusy }

// TestCode: each sentinel and typed error of the backend, wrapped as the use cases wrap them,
// has its code; the most specific cause wins over a general one it is wrapped with.
func TestCode(t *testing.T) {
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	other, _ := age.GenerateX25519Identity()
	dk, err := seal.NewDatasetKey()
	if err != nil {
		t.Fatal(err)
	}
	env, err := seal.SealKey(dk, seal.PublicKeyBytes(id))
	if err != nil {
		t.Fatal(err)
	}
	_, wrongKey := seal.OpenKey(env, other)
	_, corrupt := seal.OpenKey(append(bytes.Clone(env[:len(env)-1]), env[len(env)-1]^1), id)
	_, missing := os.Stat(filepath.Join(t.TempDir(), "nope"))
	dir := t.TempDir()
	exists := os.Mkdir(dir, 0o700)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()

	cases := []struct {
		err  error
		code string
	}{
		{nil, ""},
		{fmt.Errorf("publish x: %w", ctx.Err()), share.CodeCanceled},
		{fmt.Errorf("approve: %w", approval.ErrRejected), share.CodeRejected},
		{&walletconnect.WalletError{Code: 4001, Message: "User rejected"}, share.CodeRejected},
		{fmt.Errorf("approve: %w", approval.ErrExpired), share.CodeExpired},
		{&walletconnect.WalletError{Code: 8000}, share.CodeExpired},
		{fmt.Errorf("pair: %w", walletconnect.ErrExpired), share.CodeExpired},
		{fmt.Errorf("%w: dial: connection refused", walletconnect.ErrRelayUnavailable), share.CodeRelayUnavailable},
		{&chain.FundsError{Balance: big.NewInt(1), Need: big.NewInt(2)}, share.CodeInsufficientFunds},
		{fmt.Errorf("dataset 3 belongs to someone else and you have %w", share.ErrNoAccess), share.CodeNoAccess},
		{wrongKey, share.CodeNoKey},
		{fmt.Errorf("open keys: %w", keys.ErrKeysMissing), share.CodeNoKey},
		{fmt.Errorf("open keys: %w", keys.ErrWrongPassphrase), share.CodeWrongPassphrase},
		{keys.CheckPassphrase("short"), share.CodeWeakPassphrase},
		{fmt.Errorf("x.bin: %w", share.ErrBusy), share.CodeBusy},
		{fmt.Errorf("start the local chain: %w", devnet.ErrInUse), share.CodeBusy},
		{fmt.Errorf("open IPFS: %w", ipfs.ErrRepoLocked), share.CodeBusy},
		{selfCoded{}, share.CodeBusy},
		{fmt.Errorf("save: %w", exists), share.CodeExists},
		{fmt.Errorf("import: %w", keys.ErrExistingKeys), share.CodeExists},
		{missing, share.CodeNotFound},
		{&chain.RevertError{Reason: &contracts.DataShareDatasetNotFound{Id: big.NewInt(7)}}, share.CodeNotFound},
		{&chain.RevertError{Reason: &contracts.DataShareAlreadyGranted{Id: big.NewInt(7)}}, share.CodeRefused},
		{fmt.Errorf("request access: %w", chain.ErrTxFailed), share.CodeRefused},
		{fmt.Errorf("%w: the publish of a.bin signed 0x12, which may still be mined", share.ErrOnChain), share.CodeOnChain},
		{fmt.Errorf("connect: %w", chain.ErrWrongNetwork), share.CodeWrongNetwork},
		{fmt.Errorf("name: %w", share.ErrInvalidInput), share.CodeInvalidInput},
		{corrupt, share.CodeCorrupt},
		{fmt.Errorf("connect: %w", chain.ErrUnavailable), share.CodeUnavailable},
		{fmt.Errorf("download: %w", ipfs.ErrStalled), share.CodeUnavailable},
		{fmt.Errorf("read: %w", context.DeadlineExceeded), share.CodeUnavailable},
		// A rejection reported through an unavailable relay is still a rejection.
		{fmt.Errorf("%w: %w", approval.ErrRejected, chain.ErrUnavailable), share.CodeRejected},
		{errors.New("something nobody foresaw"), share.CodeInternal},
	}
	for _, c := range cases {
		got := share.Code(c.err)
		if got != c.code {
			t.Errorf("Code(%v) = %q, want %q", c.err, got, c.code)
		}
		if got != "" && !slices.Contains(share.Codes, got) {
			t.Errorf("Code(%v) = %q is not listed in Codes", c.err, got)
		}
	}
}

// TestCodesOfRealFailures: the errors the use cases return for a missing file, an unknown
// dataset, a rejected approval, a dataset of another account and an empty account carry the
// codes a user interface branches on.
func TestCodesOfRealFailures(t *testing.T) {
	a := open(t, share.Config{Confirm: func(context.Context, approval.Summary) (bool, error) { return false, nil }})
	path, _ := writeRandom(t, 1000)

	_, err := a.Publish(t.Context(), filepath.Join(t.TempDir(), "gone.bin"), share.PublishOptions{}, nil)
	if code := share.Code(err); code != share.CodeNotFound {
		t.Errorf("publishing a missing file: code %q (%v), want not_found", code, err)
	}
	_, err = a.Publish(t.Context(), path, share.PublishOptions{}, nil)
	if code := share.Code(err); code != share.CodeRejected {
		t.Errorf("rejected publish: code %q (%v), want rejected", code, err)
	}
	_, err = a.Fetch(t.Context(), 99, filepath.Join(t.TempDir(), "out"), share.FetchOptions{}, nil)
	if code := share.Code(err); code != share.CodeNotFound {
		t.Errorf("fetching an unknown dataset: code %q (%v), want not_found", code, err)
	}
	a.Close()

	a = open(t, share.Config{DataDir: a.DataDir()})
	d, err := a.Publish(t.Context(), path, share.PublishOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}

	// B: another account, on A's chain, with no ether.
	bdir := t.TempDir()
	n := a.Network()
	if err := config.SaveSettings(bdir, config.Settings{Network: "custom", Networks: map[string]config.NetworkSettings{
		"custom": {RPCURL: n.RPCURL, ChainID: n.ChainID, Contract: n.Contract.Hex()},
	}}); err != nil {
		t.Fatal(err)
	}
	b := open(t, share.Config{DataDir: bdir})
	_, err = b.Fetch(t.Context(), d.ID, filepath.Join(t.TempDir(), "out"), share.FetchOptions{}, nil)
	if code := share.Code(err); code != share.CodeNoAccess {
		t.Errorf("fetching another account's dataset: code %q (%v), want no_access", code, err)
	}
	other, _ := writeRandom(t, 500)
	_, err = b.Publish(t.Context(), other, share.PublishOptions{}, nil)
	if code := share.Code(err); code != share.CodeInsufficientFunds {
		t.Errorf("publishing from an empty account: code %q (%v), want insufficient_funds", code, err)
	}
}
