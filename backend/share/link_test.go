package share_test

import (
	"bytes"
	"encoding/base64"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/datashare/datashare/backend/link"
	"github.com/datashare/datashare/backend/share"
)

// blockOf is the chain's head as a profile sees it: every transaction on the local chain mines a
// block, so an unchanged head means nothing was sent.
func blockOf(t *testing.T, s *share.Service) uint64 {
	t.Helper()
	st, err := s.Status(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return st.Block
}

func fetchLinkEqual(t *testing.T, s *share.Service, url string, opts share.FetchOptions, want []byte) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "out")
	if _, err := s.FetchLink(t.Context(), url, out, opts, nil); err != nil {
		t.Fatal(err)
	}
	if got, err := os.ReadFile(out); err != nil || string(got) != string(want) {
		t.Fatalf("the file opened with the link differs from the published one (%v)", err)
	}
}

// TestShareLinks: a link opens in a profile with no registered key; Access and Links show it;
// an update re-grants the links that are not revoked; after RevokeLink and an update, the link
// no longer opens the new version but still opens the old one. Bad links and bad requests get a
// clear message and a code, and change nothing. With the owner's IPFS node stopped, opening a
// link says the owner is offline.
func TestShareLinks(t *testing.T) {
	defer share.SetChainDir(t.TempDir())()
	approvals := &approveAll{}
	a := open(t, share.Config{Confirm: approvals.confirm}) // the owner; runs the chain
	d := open(t, share.Config{})                           // no account of note, no registered key; finds a's IPFS node by itself
	ctx := t.Context()

	path, v1 := writeRandom(t, 200_000)
	ds, err := a.Publish(ctx, path, share.PublishOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	id := ds.ID
	l1, err := a.CreateLink(ctx, id, "for D")
	if err != nil {
		t.Fatal(err)
	}
	if sum := approvals.last.Load(); sum.Action != "Share dataset" || !strings.Contains(sum.Note, `share link "for D" (`+l1.Account+")") ||
		len(sum.Grantees) != 1 || sum.Grantees[0] != l1.Account || sum.Version != 1 {
		t.Fatalf("the approval of a link says %+v", sum)
	}
	parsed, err := link.Parse(l1.URL)
	if err != nil || parsed.Address().Hex() != l1.Account || parsed.Dataset != id || l1.Version != 1 || !l1.Current {
		t.Fatalf("CreateLink = %+v (%v)", l1, err)
	}
	l2, err := a.CreateLink(ctx, id, "")
	if err != nil {
		t.Fatal(err)
	}

	t.Run("opens without a registered key", func(t *testing.T) {
		st, err := d.Status(ctx)
		if err != nil || st.Key.Registered {
			t.Fatalf("profile D has a registered key (%+v, %v)", st.Key, err)
		}
		fetchLinkEqual(t, d, l1.URL, share.FetchOptions{}, v1)
		// D's own account has no access: the link is not D's grant.
		if _, err := d.Fetch(ctx, id, t.TempDir(), share.FetchOptions{}, nil); share.Code(err) != share.CodeNoAccess {
			t.Fatalf("D's Fetch by id: %v", err)
		}
	})

	t.Run("listed", func(t *testing.T) {
		acc, err := a.Access(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		marks := map[string]string{}
		for _, g := range acc.Grantees {
			marks[g.Account] = g.Link
		}
		if len(acc.Grantees) != 2 || marks[l1.Account] != `share link "for D"` || marks[l2.Account] != "share link" {
			t.Fatalf("Access = %+v", acc)
		}
		ls, err := a.Links(ctx, id)
		if err != nil || len(ls) != 2 || ls[0].URL != l1.URL || ls[0].Label != "for D" || ls[1].URL != l2.URL || !ls[0].Current || ls[0].Revoked {
			t.Fatalf("Links = %+v, %v", ls, err)
		}
		if ls, err := d.Links(ctx, id); err != nil || len(ls) != 0 {
			t.Fatalf("D's Links = %+v, %v", ls, err)
		}
	})

	t.Run("no secret on disk", func(t *testing.T) {
		files := 0
		for _, l := range []share.Link{l1, l2} {
			_, secret, _ := strings.Cut(l.URL, "#")
			raw, err := base64.RawURLEncoding.DecodeString(secret)
			if err != nil {
				t.Fatal(err)
			}
			for _, dir := range []string{a.DataDir(), d.DataDir()} {
				filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
					if err != nil || !e.Type().IsRegular() {
						return nil
					}
					files++
					b, err := os.ReadFile(p)
					if err == nil && (bytes.Contains(b, []byte(secret)) || bytes.Contains(b, raw)) {
						t.Errorf("%s holds a link's secret in plaintext", p)
					}
					return nil
				})
			}
		}
		if files < 10 {
			t.Fatalf("only %d files were read in the profiles", files)
		}
	})

	t.Run("bad input changes nothing", func(t *testing.T) {
		other, _ := link.New(11155111, parsed.Contract, id)
		otherContract, _ := link.New(1337, common.HexToAddress("0x00000000000000000000000000000000000000Aa"), id)
		unknown, _ := link.New(1337, parsed.Contract, 999)
		granted := approvals.n.Load()
		head := blockOf(t, a)
		cases := []struct {
			name string
			err  func() error
			code string
			msg  string
		}{
			{"malformed link", func() error {
				_, err := d.FetchLink(ctx, "datashare://1337/nope", t.TempDir(), share.FetchOptions{}, nil)
				return err
			},
				share.CodeInvalidInput, "is not a whole DataShare link"},
			{"cut link", func() error {
				_, err := d.FetchLink(ctx, l1.URL[:len(l1.URL)-3], t.TempDir(), share.FetchOptions{}, nil)
				return err
			}, share.CodeInvalidInput, "is damaged or cut short"},
			{"other network", func() error {
				_, err := d.FetchLink(ctx, other.URL(), t.TempDir(), share.FetchOptions{}, nil)
				return err
			},
				share.CodeWrongNetwork, "this link is for a dataset on Sepolia testnet (chain id 11155111), but this profile uses Local (this computer)"},
			{"other contract", func() error {
				_, err := d.FetchLink(ctx, otherContract.URL(), t.TempDir(), share.FetchOptions{}, nil)
				return err
			}, share.CodeWrongNetwork, "this link is for the DataShare contract 0x00000000000000000000000000000000000000AA, but this profile uses"},
			{"unknown dataset", func() error {
				_, err := d.FetchLink(ctx, unknown.URL(), t.TempDir(), share.FetchOptions{}, nil)
				return err
			},
				share.CodeNotFound, "the link's dataset 999 does not exist"},
			{"link never granted", func() error {
				never, _ := link.New(1337, parsed.Contract, id)
				_, err := d.FetchLink(ctx, never.URL(), t.TempDir(), share.FetchOptions{}, nil)
				return err
			}, share.CodeNoAccess, "its grant is not on Local (this computer)"},
			{"version it does not hold", func() error {
				_, err := d.FetchLink(ctx, l1.URL, t.TempDir(), share.FetchOptions{Version: 2}, nil)
				return err
			}, share.CodeNotFound, "dataset 1 has no version 2"},
			{"link by a non-owner", func() error { _, err := d.CreateLink(ctx, id, ""); return err }, share.CodeNotOwner, "only its owner can make a share link of it"},
			{"link of an unknown dataset", func() error { _, err := a.CreateLink(ctx, 999, ""); return err }, share.CodeNotFound, "dataset 999 does not exist"},
			{"label with a line break", func() error { _, err := a.CreateLink(ctx, id, "a\nb"); return err }, share.CodeInvalidInput, "without control characters"},
			{"label too long", func() error { _, err := a.CreateLink(ctx, id, strings.Repeat("x", 101)); return err }, share.CodeInvalidInput, "at most 100 bytes"},
			{"revoke with a link of another dataset", func() error { _, err := a.RevokeLink(ctx, 999, l1.URL); return err }, share.CodeInvalidInput, "this link is for dataset 1, not dataset 999"},
			{"revoke a link never granted", func() error {
				never, _ := link.New(1337, parsed.Contract, id)
				_, err := a.RevokeLink(ctx, id, never.URL())
				return err
			}, share.CodeInvalidInput, "there is nothing to revoke"},
			{"revoke by a non-owner", func() error { _, err := d.RevokeLink(ctx, id, l1.URL); return err }, share.CodeNotOwner, "only its owner can revoke a share link of it"},
			{"revoke a malformed link", func() error { _, err := a.RevokeLink(ctx, id, "https://example.org/x"); return err }, share.CodeInvalidInput, "is not a DataShare link"},
		}
		_, secret, _ := strings.Cut(l1.URL, "#")
		for _, c := range cases {
			err := c.err()
			if share.Code(err) != c.code || err == nil || !strings.Contains(err.Error(), c.msg) {
				t.Errorf("%s: %v (code %s); want code %s and %q", c.name, err, share.Code(err), c.code, c.msg)
				continue
			}
			if strings.Contains(err.Error(), secret[:12]) {
				t.Errorf("%s: the error shows the link's secret: %v", c.name, err)
			}
		}
		if n := approvals.n.Load(); n != granted {
			t.Errorf("%d approvals were asked for bad input", n-granted)
		}
		if h := blockOf(t, a); h != head {
			t.Errorf("the chain moved from block %d to %d on bad input", head, h)
		}
		if ls, _ := a.Links(ctx, id); len(ls) != 2 {
			t.Errorf("%d links after bad input", len(ls))
		}
	})

	t.Run("revoke and update", func(t *testing.T) {
		res, err := a.RevokeLink(ctx, id, l1.URL)
		if err != nil {
			t.Fatal(err)
		}
		if res.Grantee != l1.Account || !strings.Contains(res.Note, "cannot be taken back") || !strings.Contains(res.Note, "datashare update 1 FILE") {
			t.Fatalf("RevokeLink = %+v", res)
		}
		if _, err := a.RevokeLink(ctx, id, l1.URL); share.Code(err) != share.CodeInvalidInput || !strings.Contains(err.Error(), "revoked from dataset 1 already") {
			t.Fatalf("revoking a link twice: %v", err)
		}
		// Revoked, but nothing newer yet: the link still opens the current version.
		fetchLinkEqual(t, d, l1.URL, share.FetchOptions{}, v1)

		path2, v2 := writeRandom(t, 150_000)
		if _, err := a.Update(ctx, id, path2, nil); err != nil {
			t.Fatal(err)
		}
		// The link that is not revoked got version 2 with the update, sealed to its own key.
		fetchLinkEqual(t, d, l2.URL, share.FetchOptions{}, v2)
		_, err = d.FetchLink(ctx, l1.URL, t.TempDir(), share.FetchOptions{}, nil)
		if share.Code(err) != share.CodeNoAccess || !errors.Is(err, share.ErrNoAccess) || !strings.Contains(err.Error(), "this link was revoked for newer versions") ||
			!strings.Contains(err.Error(), "--version 1") {
			t.Fatalf("a revoked link after an update: %v (code %s)", err, share.Code(err))
		}
		if _, err := d.FetchLink(ctx, l1.URL, t.TempDir(), share.FetchOptions{Version: 2}, nil); share.Code(err) != share.CodeNoAccess {
			t.Fatalf("a revoked link asked for version 2: %v", err)
		}
		fetchLinkEqual(t, d, l1.URL, share.FetchOptions{Version: 1}, v1)

		ls, err := a.Links(ctx, id)
		if err != nil || len(ls) != 2 || !ls[0].Revoked || ls[0].Current || ls[0].Version != 1 || ls[1].Version != 2 || !ls[1].Current {
			t.Fatalf("Links after revoke and update = %+v, %v", ls, err)
		}
		acc, _ := a.Access(ctx, id)
		if len(acc.Revoked) != 1 || acc.Revoked[0].Link != `share link "for D"` {
			t.Fatalf("Access after revoke = %+v", acc)
		}
		hist, err := a.History(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		kinds := map[string]int{}
		for _, e := range hist {
			if e.Account == l1.Account {
				if e.Link != `share link "for D"` {
					t.Errorf("history event %+v of the link is not marked", e)
				}
				kinds[e.Kind]++
			}
		}
		if kinds["granted"] != 1 || kinds["revoked"] != 1 {
			t.Fatalf("the link's history: %v", kinds)
		}
	})

	t.Run("owner offline", func(t *testing.T) {
		defer share.SetOfflineWait(300*time.Millisecond, 2*time.Second, 300*time.Millisecond)()
		path3, _ := writeRandom(t, 50_000)
		ds3, err := a.Publish(ctx, path3, share.PublishOptions{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		l3, err := a.CreateLink(ctx, ds3.ID, "")
		if err != nil {
			t.Fatal(err)
		}
		if err := a.StopIPFS(); err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		_, err = d.FetchLink(ctx, l3.URL, dir, share.FetchOptions{}, nil)
		if share.Code(err) != share.CodeUnavailable || !errors.Is(err, share.ErrOffline) || !strings.Contains(err.Error(), "the owner's computer is not online") {
			t.Fatalf("a link whose owner is offline: %v (code %s)", err, share.Code(err))
		}
		if ents, _ := os.ReadDir(dir); len(ents) != 0 {
			t.Fatalf("the failed fetch left %d files", len(ents))
		}
	})
}
