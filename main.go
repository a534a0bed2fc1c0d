//go:build desktop || dev || bindings

// Command datashare-gui is the DataShare desktop app: a Wails window over backend/share.
//
// Build (see README): `npm run build` in frontend/, then
//
//	go build -tags desktop,webkit2_41,production -ldflags "-w -s" -o build/bin/datashare-gui .
package main

import (
	"context"
	"embed"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/linux"
	"github.com/wailsapp/wails/v2/pkg/runtime"

	"github.com/datashare/datashare/app"
)

//go:embed all:frontend/dist
var assets embed.FS

//go:embed build/appicon.png
var icon []byte

func main() {
	var a *app.App
	a = app.New(app.Options{
		Emitter: app.Wails{},
		Dialogs: app.Wails{},
		OnStartup: func(ctx context.Context) {
			runtime.OnFileDrop(ctx, a.HandleFileDrop)
			go quitOnSignal(ctx)
		},
	})
	err := wails.Run(&options.App{
		Title:            "DataShare",
		Width:            1100,
		Height:           720,
		MinWidth:         760,
		MinHeight:        520,
		AssetServer:      &assetserver.Options{Assets: assets},
		BackgroundColour: &options.RGBA{R: 246, G: 247, B: 249, A: 255},
		OnStartup:        a.Startup,
		OnDomReady:       a.DomReady,
		OnShutdown:       a.Shutdown,
		Bind:             []any{a},
		DragAndDrop:      &options.DragAndDrop{EnableFileDrop: true},
		Linux: &linux.Options{
			Icon:             icon,
			ProgramName:      "datashare",
			WebviewGpuPolicy: linux.WebviewGpuPolicyNever,
		},
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "DataShare could not start its window:", err)
		os.Exit(1)
	}
}

// quitOnSignal closes the window on SIGINT or SIGTERM, so Shutdown runs and the embedded chain
// is stopped cleanly. A second signal exits at once.
func quitOnSignal(ctx context.Context) {
	sig := make(chan os.Signal, 2)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	<-sig
	runtime.Quit(ctx)
	<-sig
	fmt.Fprintln(os.Stderr, "DataShare: second signal, exiting without a clean shutdown")
	os.Exit(1)
}
