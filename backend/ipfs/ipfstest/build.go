package ipfstest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"testing"
	"time"
)

// BinEnv names an environment variable that, when set, is the ipfs command
// to use instead of building one.
const BinEnv = "DATASHARE_IPFS_BIN"

var built struct {
	once sync.Once
	path string
	err  error
}

// BuildDaemon returns the path of the `ipfs` command built from the Kubo
// module this repository requires (with its go-libp2p pin; `go install
// …/cmd/ipfs@version` cannot apply the pin). The binary is cached under the
// user cache directory, keyed by the Kubo and go-libp2p versions, so only the
// first run on a machine pays for the build; concurrent test processes build
// it once.
func BuildDaemon(t testing.TB) string {
	t.Helper()
	if p := os.Getenv(BinEnv); p != "" {
		return p
	}
	built.once.Do(func() { built.path, built.err = buildDaemon() })
	if built.err != nil {
		t.Fatalf("building the ipfs command: %v", built.err)
	}
	return built.path
}

func buildDaemon() (string, error) {
	base, err := os.UserCacheDir()
	if err != nil {
		base = os.TempDir()
	}
	kubo, libp2p := depVersion("github.com/ipfs/kubo"), depVersion("github.com/libp2p/go-libp2p")
	dir := filepath.Join(base, "datashare-test",
		fmt.Sprintf("kubo-%s-libp2p-%s-%s-%s", kubo, libp2p, runtime.GOOS, runtime.GOARCH))
	exe := ""
	if runtime.GOOS == "windows" {
		exe = ".exe"
	}
	bin := filepath.Join(dir, "ipfs"+exe)
	known := kubo != "unknown" && libp2p != "unknown"
	if known && isFile(bin) {
		return bin, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	unlock, err := lockFile(filepath.Join(dir, "build.lock"))
	if err != nil {
		return "", err
	}
	defer unlock()
	if known && isFile(bin) { // built by another process while we waited
		return bin, nil
	}

	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	tmp := fmt.Sprintf("%s.%d.tmp%s", bin, os.Getpid(), exe)
	// Run in the test's package directory: inside this module, whose go.mod
	// carries the go-libp2p pin.
	cmd := exec.CommandContext(ctx, "go", "build", "-o", tmp, "github.com/ipfs/kubo/cmd/ipfs")
	if out, err := cmd.CombinedOutput(); err != nil {
		os.Remove(tmp)
		return "", fmt.Errorf("go build github.com/ipfs/kubo/cmd/ipfs: %w\n%s", err, out)
	}
	if err := os.Rename(tmp, bin); err != nil {
		os.Remove(tmp)
		return "", err
	}
	return bin, nil
}

// depVersion is the version of module mod this test is built with: from the
// binary's build information when it has it (test binaries do not), else
// from `go list -m`.
func depVersion(mod string) string {
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, d := range info.Deps {
			if d.Path == mod {
				if d.Replace != nil {
					d = d.Replace
				}
				if d.Version != "" {
					return d.Version
				}
			}
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, "go", "list", "-m", "-f", "{{with .Replace}}{{.Version}}{{else}}{{.Version}}{{end}}", mod).Output()
	if v := strings.TrimSpace(string(out)); err == nil && v != "" {
		return v
	}
	return "unknown"
}

func isFile(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.Mode().IsRegular()
}
