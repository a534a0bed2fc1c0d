package app

import (
	"context"
	"encoding/base64"
	"fmt"
	"strings"

	"github.com/skip2/go-qrcode"

	"github.com/datashare/datashare/backend/share"
)

// Sharing is what App uses of a *share.Service to share datasets: keys, grants, revocations,
// versions, share links and their history (backend/share/sharing.go, link.go, update.go).
type Sharing interface {
	KeyStatus(ctx context.Context) (share.KeyStatus, error)
	RegisterKey(ctx context.Context) (share.KeyStatus, error)
	CheckRecipient(ctx context.Context, addr string) (share.Recipient, error)
	Share(ctx context.Context, id uint64, grantees []string) (share.ShareResult, error)
	Revoke(ctx context.Context, id uint64, grantee string) (share.RevokeResult, error)
	Access(ctx context.Context, id uint64) (share.DatasetAccess, error)
	Shared(ctx context.Context) ([]share.Dataset, error)
	History(ctx context.Context, id uint64) ([]share.Event, error)
	Update(ctx context.Context, id uint64, path string, p share.Progress) (share.Dataset, error)
	CreateLink(ctx context.Context, id uint64, label string) (share.Link, error)
	Links(ctx context.Context, id uint64) ([]share.Link, error)
	RevokeLink(ctx context.Context, id uint64, rawLink string) (share.RevokeResult, error)
	FetchLink(ctx context.Context, rawLink, outPath string, opts share.FetchOptions, p share.Progress) (share.FetchResult, error)
}

// KindUpdate is the job kind of a new version.
const KindUpdate = "update"

// KeyStatus says whether this profile's encryption key is registered on chain (others can
// share with the account only then).
func (a *App) KeyStatus() (share.KeyStatus, error) {
	return call(a, func(ctx context.Context, svc Service) (share.KeyStatus, error) { return svc.KeyStatus(ctx) })
}

// RegisterKey publishes this profile's encryption key (one approval).
func (a *App) RegisterKey() (share.KeyStatus, error) {
	return call(a, func(ctx context.Context, svc Service) (share.KeyStatus, error) { return svc.RegisterKey(ctx) })
}

// CheckAddress checks a typed address (EIP-55) and looks up its registered encryption key, for
// the share form to answer as the user types. Nothing changes.
func (a *App) CheckAddress(addr string) (share.Recipient, error) {
	return call(a, func(ctx context.Context, svc Service) (share.Recipient, error) { return svc.CheckRecipient(ctx, addr) })
}

// Share gives the current version of dataset id to each address, in one approval.
func (a *App) Share(id uint64, addresses []string) (share.ShareResult, error) {
	var clean []string
	for _, s := range addresses {
		if s = strings.TrimSpace(s); s != "" {
			clean = append(clean, s)
		}
	}
	return call(a, func(ctx context.Context, svc Service) (share.ShareResult, error) { return svc.Share(ctx, id, clean) })
}

// Revoke cuts grantee off from later versions of dataset id. The result's note says what it
// cannot do: what was delivered stays delivered.
func (a *App) Revoke(id uint64, grantee string) (share.RevokeResult, error) {
	return call(a, func(ctx context.Context, svc Service) (share.RevokeResult, error) {
		return svc.Revoke(ctx, id, grantee)
	})
}

// Access lists who holds a key of dataset id (and which version), pending requests and
// revoked accounts.
func (a *App) Access(id uint64) (share.DatasetAccess, error) {
	return call(a, func(ctx context.Context, svc Service) (share.DatasetAccess, error) { return svc.Access(ctx, id) })
}

// Shared lists the datasets others shared with this profile.
func (a *App) Shared() ([]share.Dataset, error) {
	ds, err := call(a, func(ctx context.Context, svc Service) ([]share.Dataset, error) { return svc.Shared(ctx) })
	if err == nil && ds == nil {
		ds = []share.Dataset{}
	}
	return ds, err
}

// History lists the events of dataset id, oldest first.
func (a *App) History(id uint64) ([]share.Event, error) {
	evs, err := call(a, func(ctx context.Context, svc Service) ([]share.Event, error) { return svc.History(ctx, id) })
	if err == nil && evs == nil {
		evs = []share.Event{}
	}
	return evs, err
}

// CreateLink makes a share link of dataset id (one approval). Its URL opens the dataset for
// whoever has it: the frontend shows it only to the owner.
func (a *App) CreateLink(id uint64, label string) (share.Link, error) {
	return call(a, func(ctx context.Context, svc Service) (share.Link, error) { return svc.CreateLink(ctx, id, label) })
}

// Links lists the share links this profile made of dataset id.
func (a *App) Links(id uint64) ([]share.Link, error) {
	ls, err := call(a, func(ctx context.Context, svc Service) ([]share.Link, error) { return svc.Links(ctx, id) })
	if err == nil && ls == nil {
		ls = []share.Link{}
	}
	return ls, err
}

// RevokeLink cuts a share link of dataset id off from later versions.
func (a *App) RevokeLink(id uint64, rawLink string) (share.RevokeResult, error) {
	return call(a, func(ctx context.Context, svc Service) (share.RevokeResult, error) {
		return svc.RevokeLink(ctx, id, rawLink)
	})
}

// Update publishes the file at path as the next version of dataset id (a new key, re-granted
// to every grantee not revoked) in the background, like Publish; name labels its progress. It
// returns the job id of the events.
func (a *App) Update(id uint64, path, name string) (string, error) {
	svc, err := a.service()
	if err != nil {
		return "", fail(err)
	}
	if id == 0 {
		return "", fail(newError(share.CodeNotFound, "this dataset is not on the chain yet; wait until it is published"))
	}
	if path = strings.TrimSpace(path); path == "" {
		return "", fail(newError(share.CodeInvalidInput, "choose the file of the new version"))
	}
	return a.run(KindUpdate, name, func(ctx context.Context, p share.Progress) (JobDone, error) {
		d, err := svc.Update(ctx, id, path, p)
		return JobDone{Dataset: &d}, err
	}), nil
}

// DownloadLink asks where to save the dataset a share link opens and fetches it there in the
// background. An empty job id with a nil error means the user closed the dialog. The link is
// checked by the backend before anything is written; it is never logged.
func (a *App) DownloadLink(rawLink, name string) (string, error) {
	svc, err := a.service()
	if err != nil {
		return "", fail(err)
	}
	if rawLink = strings.TrimSpace(rawLink); rawLink == "" {
		return "", fail(newError(share.CodeInvalidInput, "paste a share link (it starts with datashare:)"))
	}
	if a.opts.Dialogs == nil {
		return "", fail(errNoDialogs)
	}
	ctx, err := a.window()
	if err != nil {
		return "", fail(err)
	}
	if name == "" {
		name = "shared dataset"
	}
	out, err := a.opts.Dialogs.SaveFile(ctx, "Save dataset as", share.SafeFileName(name))
	if err != nil {
		return "", fail(fmt.Errorf("the save dialog failed: %w", err))
	}
	if out == "" {
		return "", nil
	}
	return a.run(KindFetch, name, func(ctx context.Context, p share.Progress) (JobDone, error) {
		r, err := svc.FetchLink(ctx, rawLink, out, share.FetchOptions{Overwrite: true}, p)
		return JobDone{Result: &r}, err
	}), nil
}

// call runs one synchronous use case with the open service and the app's lifetime, and turns
// its error into an *Error.
func call[T any](a *App, fn func(context.Context, Service) (T, error)) (T, error) {
	var zero T
	svc, err := a.service()
	if err != nil {
		return zero, fail(err)
	}
	v, err := fn(a.lifetime(), svc)
	if err != nil {
		return zero, fail(err)
	}
	return v, nil
}

// linkQRSize is the width and height of a share link's QR code, in pixels.
const linkQRSize = 240

// QRCode draws text (a share link) as a QR code: a PNG data: URL. The text is never logged or
// quoted in an error.
func (a *App) QRCode(text string) (string, error) {
	if strings.TrimSpace(text) == "" {
		return "", fail(newError(share.CodeInvalidInput, "there is nothing to draw"))
	}
	png, err := qrcode.Encode(text, qrcode.Medium, linkQRSize)
	if err != nil {
		return "", fail(newError(share.CodeInvalidInput, "this is too long for a QR code; copy it instead"))
	}
	return "data:image/png;base64," + base64.StdEncoding.EncodeToString(png), nil
}
