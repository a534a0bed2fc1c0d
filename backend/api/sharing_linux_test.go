package api

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/datashare/datashare/backend/approval"
	"github.com/datashare/datashare/backend/share"
)

// syncBuffer is a log destination the server writes from several goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// TestSharingOverARealService runs the sharing use cases through the socket of a real profile,
// with a second real profile on the same local chain to share with: the same results and errors
// (codes, sentinels, messages) as in-process, approvals asked of the client, progress streamed,
// and no share link in the server's log.
func TestSharingOverARealService(t *testing.T) {
	localnet := t.TempDir()
	var log syncBuffer
	f := openFixtureOn(t, localnet, slog.New(slog.NewTextHandler(&log, &slog.HandlerOptions{Level: slog.LevelDebug})))
	loc := Local(f.svc)
	other, err := share.Open(t.Context(), share.Config{
		DataDir: t.TempDir(), LocalnetDir: localnet, NoKeyring: true, Loopback: true, IPFSMode: "embedded",
		Passphrase: func(context.Context, string) (string, error) { return "another horse battery staple", nil },
		Confirm:    approve,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { other.Close() })
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
	them := other.Account().Hex()

	// Keys: not registered, then registered through the API.
	ks, err := c.KeyStatus(ctx)
	lks, _ := loc.KeyStatus(ctx)
	if err != nil || ks.Registered || ks.Message == "" {
		t.Fatalf("KeyStatus before registering = %+v, %v", ks, err)
	}
	sameJSON(t, "KeyStatus", lks, ks)
	ks, err = c.RegisterKey(ctx)
	if err != nil || !ks.Registered || !ks.Matches || ks.Account != f.svc.Account().Hex() {
		t.Fatalf("RegisterKey = %+v, %v", ks, err)
	}
	lks, _ = loc.KeyStatus(ctx)
	sameJSON(t, "KeyStatus after RegisterKey", lks, ks)
	if _, err := other.RegisterKey(ctx); err != nil {
		t.Fatal(err)
	}

	path, _ := writeFile(t, "shared.csv", 200<<10)
	d, err := c.Publish(ctx, path, share.PublishOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	theirPath, _ := writeFile(t, "theirs.bin", 10<<10)
	theirs, err := other.Publish(ctx, theirPath, share.PublishOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}

	// Refusals, before anything is asked: the same as in-process, codes and sentinels kept.
	before := len(askedNow())
	_, rerr := c.Share(ctx, theirs.ID, []string{them})
	_, lerr := loc.Share(ctx, theirs.ID, []string{them})
	sameError(t, "Share of another's dataset", lerr, rerr)
	if share.Code(rerr) != share.CodeNotOwner || !errors.Is(rerr, share.ErrNotOwner) {
		t.Errorf("Share of another's dataset = %v (%s), want not_owner matching share.ErrNotOwner", rerr, share.Code(rerr))
	}
	nobody := "0x00000000000000000000000000000000000000aa"
	_, rerr = c.Share(ctx, d.ID, []string{nobody})
	_, lerr = loc.Share(ctx, d.ID, []string{nobody})
	sameError(t, "Share with an account without a key", lerr, rerr)
	if !errors.Is(rerr, share.ErrNoRecipientKey) {
		t.Errorf("Share with an account without a key = %v (%s)", rerr, share.Code(rerr))
	}
	_, rerr = c.Revoke(ctx, d.ID, them)
	_, lerr = loc.Revoke(ctx, d.ID, them)
	sameError(t, "Revoke of an account with no access", lerr, rerr)
	_, rerr = c.Update(ctx, theirs.ID, path, nil)
	_, lerr = loc.Update(ctx, theirs.ID, path, nil)
	sameError(t, "Update of another's dataset", lerr, rerr)
	_, rerr = c.History(ctx, 9999)
	_, lerr = loc.History(ctx, 9999)
	sameError(t, "History of an unknown dataset", lerr, rerr)
	if !errors.Is(rerr, share.ErrNotFound) {
		t.Errorf("History of an unknown dataset = %v", rerr)
	}
	if n := len(askedNow()); n != before {
		t.Fatalf("refused calls asked for approval: %v", askedNow()[before:])
	}

	// Share, access, history.
	sr, err := c.Share(ctx, d.ID, []string{them})
	if err != nil || len(sr.Grantees) != 1 || sr.Grantees[0] != them || sr.Version != 1 || len(sr.TxHashes) != 1 {
		t.Fatalf("Share = %+v, %v", sr, err)
	}
	acc, err := c.Access(ctx, d.ID)
	lacc, _ := loc.Access(ctx, d.ID)
	if err != nil || len(acc.Grantees) != 1 || acc.Grantees[0].Account != them || !acc.Grantees[0].Current {
		t.Fatalf("Access = %+v, %v", acc, err)
	}
	sameJSON(t, "Access", lacc, acc)
	evs, err := c.History(ctx, d.ID)
	levs, _ := loc.History(ctx, d.ID)
	if err != nil || len(evs) < 2 || evs[0].Kind != "published" || evs[len(evs)-1].Kind != "granted" {
		t.Fatalf("History = %+v, %v", evs, err)
	}
	sameJSON(t, "History", levs, evs)

	// Shared: what the other account gave this one (its name read from the other's IPFS node,
	// connected over the loopback).
	addrs, err := other.IPFSAddrs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.svc.ConnectIPFS(ctx, addrs); err != nil {
		t.Fatal(err)
	}
	if _, err := other.Share(ctx, theirs.ID, []string{f.svc.Account().Hex()}); err != nil {
		t.Fatal(err)
	}
	sh, err := c.Shared(ctx)
	lsh, _ := loc.Shared(ctx)
	if err != nil || len(sh) != 1 || sh[0].ID != theirs.ID || sh[0].Name != "theirs.bin" {
		t.Fatalf("Shared = %+v, %v", sh, err)
	}
	sameJSON(t, "Shared", lsh, sh)

	// Update: a job with stages, streamed; the grantee gets the new version.
	next, nextData := writeFile(t, "shared-v2.csv", 100<<10)
	prog := newRecorder()
	u, err := c.Update(ctx, d.ID, next, prog)
	if err != nil || u.ID != d.ID || u.Version != 2 {
		t.Fatalf("Update = %+v, %v", u, err)
	}
	if !hasStages(prog.stages, share.StageEncrypt, share.StageMetadata, share.StageApprove, share.StageConfirm) || prog.bytes == 0 {
		t.Errorf("update progress: stages %v, %d byte counts", prog.stages, prog.bytes)
	}
	if acc, err := c.Access(ctx, d.ID); err != nil || acc.Version != 2 || len(acc.Grantees) != 1 || acc.Grantees[0].Version != 2 {
		t.Fatalf("Access after Update = %+v, %v", acc, err)
	}

	// Share links: made, listed, opened and revoked through the API.
	l, err := c.CreateLink(ctx, d.ID, "for the team")
	if err != nil || !strings.HasPrefix(l.URL, "datashare:") || l.Label != "for the team" || l.Version != 2 {
		t.Fatalf("CreateLink = %+v, %v", l, err)
	}
	ls, err := c.Links(ctx, d.ID)
	lls, _ := loc.Links(ctx, d.ID)
	if err != nil || len(ls) != 1 || ls[0].URL != l.URL || !ls[0].Current {
		t.Fatalf("Links = %+v, %v", ls, err)
	}
	sameJSON(t, "Links", lls, ls)
	got := filepath.Join(t.TempDir(), "via-link.csv")
	fprog := newRecorder()
	r, err := c.FetchLink(ctx, l.URL, got, share.FetchOptions{}, fprog)
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(got); !bytes.Equal(b, nextData) || r.Path != got {
		t.Fatalf("FetchLink = %+v: not the second version's content", r)
	}
	// The link was made at version 2: version 1 is not its to open, as in-process.
	_, rerr = c.FetchLink(ctx, l.URL, filepath.Join(t.TempDir(), "v1"), share.FetchOptions{Version: 1}, nil)
	_, lerr = loc.FetchLink(ctx, l.URL, filepath.Join(t.TempDir(), "v1"), share.FetchOptions{Version: 1}, nil)
	sameError(t, "FetchLink of a version the link was not given", lerr, rerr)
	if !hasStages(fprog.stages, share.StageLocate, share.StageDecrypt) {
		t.Errorf("FetchLink stages %v", fprog.stages)
	}
	_, rerr = c.FetchLink(ctx, l.URL, got, share.FetchOptions{}, nil)
	_, lerr = loc.FetchLink(ctx, l.URL, got, share.FetchOptions{}, nil)
	sameError(t, "FetchLink onto an existing file", lerr, rerr)
	var ee *share.ExistsError
	if !errors.As(rerr, &ee) || ee.Path != got {
		t.Errorf("FetchLink onto an existing file: %#v", rerr)
	}
	_, rerr = c.FetchLink(ctx, l.URL, filepath.Join(t.TempDir(), "x"), share.FetchOptions{Version: 7}, nil)
	_, lerr = loc.FetchLink(ctx, l.URL, filepath.Join(t.TempDir(), "x"), share.FetchOptions{Version: 7}, nil)
	sameError(t, "FetchLink of a version that does not exist", lerr, rerr)
	rr, err := c.RevokeLink(ctx, d.ID, l.URL)
	if err != nil || rr.Grantee != l.Account || rr.TxHash == "" || !strings.Contains(rr.Note, "cannot be taken back") {
		t.Fatalf("RevokeLink = %+v, %v", rr, err)
	}
	_, rerr = c.RevokeLink(ctx, d.ID, l.URL)
	_, lerr = loc.RevokeLink(ctx, d.ID, l.URL)
	sameError(t, "RevokeLink twice", lerr, rerr)
	if share.Code(rerr) != share.CodeInvalidInput {
		t.Errorf("RevokeLink twice = %v (%s)", rerr, share.Code(rerr))
	}
	if ls, err := c.Links(ctx, d.ID); err != nil || len(ls) != 1 || !ls[0].Revoked {
		t.Fatalf("Links after RevokeLink = %+v, %v", ls, err)
	}

	// Revoke the account.
	rv, err := c.Revoke(ctx, d.ID, them)
	if err != nil || rv.Grantee != them || rv.TxHash == "" {
		t.Fatalf("Revoke = %+v, %v", rv, err)
	}
	_, rerr = c.Revoke(ctx, d.ID, them)
	_, lerr = loc.Revoke(ctx, d.ID, them)
	sameError(t, "Revoke twice", lerr, rerr)

	// Register, publish, share, update and its re-grant, the link's grant, its revoke, the revoke.
	want := []string{"Register encryption key", "Publish dataset", "Share dataset", "Update dataset", "Share dataset", "Share dataset", "Revoke access", "Revoke access"}
	if got := askedNow(); !slices.Equal(got, want) {
		t.Errorf("the client was asked %q, want %q", got, want)
	}
	if f.fallback.count() != 0 {
		t.Errorf("the serving process's own prompt was asked %d times for calls of the API", f.fallback.count())
	}
	secret := l.URL[strings.LastIndex(l.URL, "#")+1:]
	for _, m := range []string{"share", "revoke", "update", "createLink", "links", "fetchLink", "revokeLink", "history", "access", "shared", "keyStatus", "registerKey"} {
		if !strings.Contains(log.String(), "method="+m+"\n") {
			t.Errorf("the server logged no call of %s", m)
		}
	}
	if strings.Contains(log.String(), l.URL) || (len(secret) > 8 && strings.Contains(log.String(), secret)) {
		t.Errorf("the share link is in the server's log:\n%s", log.String())
	}
}
