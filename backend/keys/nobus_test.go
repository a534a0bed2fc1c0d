//go:build linux

package keys

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// processesWithEnv returns the pids and names of the processes other than
// this one whose initial environment contains the entry env ("NAME=value").
func processesWithEnv(t *testing.T, env string) []string {
	t.Helper()
	ents, err := os.ReadDir("/proc")
	if err != nil {
		t.Fatal(err)
	}
	var found []string
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == os.Getpid() {
			continue
		}
		b, err := os.ReadFile(filepath.Join("/proc", e.Name(), "environ"))
		if err != nil {
			continue // gone, or not ours
		}
		if bytes.Contains(append([]byte{0}, b...), []byte("\x00"+env+"\x00")) {
			comm, _ := os.ReadFile(filepath.Join("/proc", e.Name(), "comm"))
			found = append(found, fmt.Sprintf("%d (%s)", pid, strings.TrimSpace(string(comm))))
		}
	}
	return found
}

func testToken(t *testing.T) string {
	return hex.EncodeToString(randomBytes(t, 8))
}

// TestNoSessionBus: without a reachable session bus, a first start uses the
// passphrase file at once, and no D-Bus daemon is started.
func TestNoSessionBus(t *testing.T) {
	token := "DATASHARE_KEYS_TEST_TOKEN=" + testToken(t)
	name, value, _ := strings.Cut(token, "=")
	t.Setenv(name, value) // inherited by anything the test starts

	// A socket that accepts connections and never answers.
	hung := filepath.Join(t.TempDir(), "hung-bus")
	l, err := net.Listen("unix", hung)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			defer c.Close()
		}
	}()

	_, runUserBus := os.Stat(fmt.Sprintf("/run/user/%d/bus", os.Getuid()))
	for _, tc := range []struct {
		name, addr string
		limit      time.Duration
	}{
		{"socket missing", "unix:path=" + filepath.Join(t.TempDir(), "no-such-bus"), 2 * time.Second},
		{"autolaunch", "autolaunch:", 2 * time.Second},
		{"unset", "", 2 * time.Second},
		{"unknown transport", "unixexec:path=/bin/true", 2 * time.Second},
		// Waits for the probe's timeout, shortened here.
		{"bus hangs", "unix:path=" + hung, 2 * time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.addr == "" && runUserBus == nil {
				t.Skip("/run/user/<uid>/bus exists: there is a session bus to find")
			}
			t.Setenv("DBUS_SESSION_BUS_ADDRESS", tc.addr)
			if tc.addr == "" {
				os.Unsetenv("DBUS_SESSION_BUS_ADDRESS")
			}
			if tc.name == "bus hangs" {
				saved := probeTimeout
				probeTimeout = 500 * time.Millisecond
				defer func() { probeTimeout = saved }()
			}
			dir := t.TempDir()

			_, err := Open(context.Background(), Options{DataDir: dir})
			if !errors.Is(err, ErrPassphraseRequired) {
				t.Errorf("Open without passphrase: %v, want ErrPassphraseRequired", err)
			}
			start := time.Now()
			k, err := Open(context.Background(), Options{DataDir: dir, Passphrase: (&pass{p: testPass}).fn})
			elapsed := time.Since(start)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(k.Backend(), "passphrase file ") {
				t.Errorf("Backend() = %q, want the passphrase file", k.Backend())
			}
			if elapsed > tc.limit {
				t.Errorf("fallback took %v", elapsed)
			}
			t.Logf("fallback in %v", elapsed)
			if got := os.Getenv("DBUS_SESSION_BUS_ADDRESS"); got != tc.addr {
				t.Errorf("DBUS_SESSION_BUS_ADDRESS changed to %q", got)
			}
			if procs := processesWithEnv(t, token); len(procs) > 0 {
				t.Errorf("processes were started: %v", procs)
			}
		})
	}
}
