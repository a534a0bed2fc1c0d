//go:build !desktop && !dev && !bindings

// Command datashare-gui is the DataShare desktop app. Without the desktop build tags this file
// stands in for main.go, so `go vet ./...` and `go build ./...` work in a checkout where the
// frontend has not been built (main.go embeds frontend/dist).
package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Fprint(os.Stderr, `This binary was built without the desktop tags. Build the DataShare app with:

  (cd frontend && npm ci && npm run build)
  go build -tags desktop,webkit2_41,production -ldflags "-w -s" -o build/bin/datashare-gui .
`)
	os.Exit(2)
}
