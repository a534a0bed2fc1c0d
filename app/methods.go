package app

import (
	"fmt"

	"github.com/datashare/datashare/backend/share"
)

// Status reports the network, IPFS and account.
func (a *App) Status() (share.Status, error) {
	svc, err := a.service()
	if err != nil {
		return share.Status{}, fail(err)
	}
	st, err := svc.Status(a.lifetime())
	if err != nil {
		return st, fail(err)
	}
	return st, nil
}

// ListDatasets returns the user's datasets.
func (a *App) ListDatasets() ([]share.Dataset, error) {
	svc, err := a.service()
	if err != nil {
		return nil, fail(err)
	}
	ds, err := svc.List(a.lifetime())
	if err != nil {
		return nil, fail(err)
	}
	if ds == nil {
		ds = []share.Dataset{} // JSON [] rather than null
	}
	return ds, nil
}

// PickFile shows the system's file chooser; "" means the user closed it.
func (a *App) PickFile() (string, error) {
	if a.opts.Dialogs == nil {
		return "", fail(errNoDialogs)
	}
	ctx, err := a.window()
	if err != nil {
		return "", fail(err)
	}
	p, err := a.opts.Dialogs.OpenFile(ctx, "Choose a file to share")
	if err != nil {
		return "", fail(fmt.Errorf("the file dialog failed: %w", err))
	}
	return p, nil
}

// errNoDialogs: the app was started without file dialogs (tests, or a window that has none).
var errNoDialogs = newError(share.CodeUnavailable, "no file dialog is available")
