//go:build desktop || dev || bindings

package app

import (
	"context"

	"github.com/wailsapp/wails/v2/pkg/runtime"
)

// Wails is the desktop implementation of Emitter and Dialogs (the Wails runtime). It is built
// only with the desktop tags, so tests of this package need no window, WebKit or cgo.
type Wails struct{}

// EventsEmit sends an event to the frontend.
func (Wails) EventsEmit(ctx context.Context, name string, data ...any) {
	runtime.EventsEmit(ctx, name, data...)
}

// OpenFile shows the system's file chooser.
func (Wails) OpenFile(ctx context.Context, title string) (string, error) {
	return runtime.OpenFileDialog(ctx, runtime.OpenDialogOptions{Title: title})
}

// SaveFile shows the system's save dialog, offering defaultName.
func (Wails) SaveFile(ctx context.Context, title, defaultName string) (string, error) {
	return runtime.SaveFileDialog(ctx, runtime.SaveDialogOptions{Title: title, DefaultFilename: defaultName, CanCreateDirectories: true})
}
