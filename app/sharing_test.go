package app

import (
	"context"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/datashare/datashare/backend/share"
)

// fakeSharing answers the sharing calls these tests make; the others are not reached (nil
// embedded interface). The real backend is driven by the browser test (app/browsertest).
type fakeSharing struct {
	Sharing
	shared   []share.Dataset
	history  []share.Event
	links    []share.Link
	gotShare []string
	update   func(ctx context.Context, id uint64, path string, p share.Progress) (share.Dataset, error)
	fetched  chan string
}

func (f *fakeSharing) Shared(context.Context) ([]share.Dataset, error) { return f.shared, nil }
func (f *fakeSharing) History(context.Context, uint64) ([]share.Event, error) {
	return f.history, nil
}
func (f *fakeSharing) Links(context.Context, uint64) ([]share.Link, error) { return f.links, nil }
func (f *fakeSharing) Share(_ context.Context, id uint64, grantees []string) (share.ShareResult, error) {
	f.gotShare = grantees
	if len(grantees) == 0 {
		return share.ShareResult{}, newError(share.CodeInvalidInput, "name at least one account to share with")
	}
	return share.ShareResult{Dataset: id, Grantees: grantees, Version: 1}, nil
}
func (f *fakeSharing) Update(ctx context.Context, id uint64, path string, p share.Progress) (share.Dataset, error) {
	return f.update(ctx, id, path, p)
}
func (f *fakeSharing) FetchLink(ctx context.Context, rawLink, out string, opts share.FetchOptions, p share.Progress) (share.FetchResult, error) {
	f.fetched <- out
	return share.FetchResult{Path: out, Size: 5}, nil
}

func startSharing(t *testing.T) (*harness, *fakeSharing) {
	t.Helper()
	h := start(t, nil)
	fs := &fakeSharing{fetched: make(chan string, 1)}
	h.svc.Sharing = fs
	h.ready(t)
	return h, fs
}

func TestSharingListsAreNeverNull(t *testing.T) {
	h, _ := startSharing(t)
	if ds, err := h.app.Shared(); err != nil || ds == nil {
		t.Fatalf("Shared() = %#v, %v; want an empty list", ds, err)
	}
	if evs, err := h.app.History(1); err != nil || evs == nil {
		t.Fatalf("History() = %#v, %v", evs, err)
	}
	if ls, err := h.app.Links(1); err != nil || ls == nil {
		t.Fatalf("Links() = %#v, %v", ls, err)
	}
}

func TestShareDropsBlankAddressesAndPassesBackendErrors(t *testing.T) {
	h, fs := startSharing(t)
	r, err := h.app.Share(4, []string{" 0xabc ", "", "  "})
	if err != nil || len(fs.gotShare) != 1 || fs.gotShare[0] != "0xabc" || r.Dataset != 4 {
		t.Fatalf("Share() = %+v, %v; passed %q", r, err, fs.gotShare)
	}
	_, err = h.app.Share(4, []string{" "})
	wantCode(t, err, share.CodeInvalidInput)
}

func TestSharingBeforeReadySaysSo(t *testing.T) {
	h := start(t, func(ctx context.Context, cfg share.Config) (Service, error) {
		<-ctx.Done()
		return nil, ctx.Err()
	})
	_, err := h.app.KeyStatus()
	wantCode(t, err, share.CodeBusy)
	_, err = h.app.Update(1, "/x", "x")
	wantCode(t, err, share.CodeBusy)
}

func TestUpdateIsAJobWithProgress(t *testing.T) {
	h, fs := startSharing(t)
	fs.update = func(ctx context.Context, id uint64, path string, p share.Progress) (share.Dataset, error) {
		p.Stage(share.StageEncrypt)
		return share.Dataset{ID: id, Name: "survey.csv", Version: 2}, nil
	}
	_, err := h.app.Update(0, "/data/v2.csv", "survey.csv")
	wantCode(t, err, share.CodeNotFound)
	_, err = h.app.Update(3, "  ", "survey.csv")
	wantCode(t, err, share.CodeInvalidInput)

	id, err := h.app.Update(3, "/data/v2.csv", "survey.csv")
	if err != nil || id == "" {
		t.Fatalf("Update() = %q, %v", id, err)
	}
	pr := h.ev.wait(t, EventJobProgress, nil).(JobProgress)
	if pr.JobID != id || pr.Kind != KindUpdate || pr.Stage != string(share.StageEncrypt) {
		t.Fatalf("job:progress = %+v", pr)
	}
	done := h.ev.wait(t, EventJobDone, nil).(JobDone)
	if done.JobID != id || done.Kind != KindUpdate || done.Dataset == nil || done.Dataset.Version != 2 {
		t.Fatalf("job:done = %+v", done)
	}
}

func TestDownloadLink(t *testing.T) {
	h, fs := startSharing(t)
	_, err := h.app.DownloadLink("  ", "")
	wantCode(t, err, share.CodeInvalidInput)

	h.dlg.save = ""
	if id, err := h.app.DownloadLink("datashare://x", ""); err != nil || id != "" {
		t.Fatalf("closing the dialog: DownloadLink() = %q, %v; want no job", id, err)
	}
	if h.dlg.defaultName != "shared dataset" {
		t.Fatalf("offered the name %q", h.dlg.defaultName)
	}
	h.dlg.save = "/tmp/out.bin"
	id, err := h.app.DownloadLink("datashare://x", "")
	if err != nil || id == "" {
		t.Fatalf("DownloadLink() = %q, %v", id, err)
	}
	if out := <-fs.fetched; out != "/tmp/out.bin" {
		t.Fatalf("fetched to %q", out)
	}
	if done := h.ev.wait(t, EventJobDone, nil).(JobDone); done.Kind != KindFetch || done.Result == nil || done.Result.Size != 5 {
		t.Fatalf("job:done = %+v", done)
	}
}

func TestQRCode(t *testing.T) {
	h, _ := startSharing(t)
	qr, err := h.app.QRCode("datashare://1337/0x2222222222222222222222222222222222222222/1#abc")
	if err != nil || !strings.HasPrefix(qr, "data:image/png;base64,") {
		t.Fatalf("QRCode() = %.40q, %v", qr, err)
	}
	png, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(qr, "data:image/png;base64,"))
	if err != nil || !strings.HasPrefix(string(png), "\x89PNG") {
		t.Fatalf("not a PNG: %v", err)
	}
	_, err = h.app.QRCode(" ")
	wantCode(t, err, share.CodeInvalidInput)
	_, err = h.app.QRCode(strings.Repeat("x", 5000))
	wantCode(t, err, share.CodeInvalidInput)
}
