//go:build (dragonfly && cgo) || (freebsd && cgo) || linux || netbsd || openbsd

package keys

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/godbus/dbus/v5"
)

const keyringDescription = "system keyring (Secret Service)"

const secretServiceName = "org.freedesktop.secrets"

// probeTimeout bounds the check for a session bus with a Secret Service.
var probeTimeout = 2 * time.Second

// Test hooks: the keyring checks, replaced when go-keyring's mock is used.
var (
	probeKeyring = probeSecretService
	keyringGuard = func() error { _, err := sessionBusAddress(); return err }
)

// sessionBusAddress finds the D-Bus session bus the way go-keyring's D-Bus
// library does, but never falls back to starting one (with dbus-launch),
// which would leave daemons behind. It also refuses addresses that make the
// library start processes, and unix sockets that don't exist.
func sessionBusAddress() (string, error) {
	addr := os.Getenv("DBUS_SESSION_BUS_ADDRESS")
	if addr == "" {
		dir := fmt.Sprintf("/run/user/%d", os.Getuid())
		if _, err := os.Stat(dir + "/bus"); err == nil {
			addr = "unix:path=" + dbus.EscapeBusAddressValue(dir+"/bus")
		} else if b, err := os.ReadFile(dir + "/dbus-session"); err == nil {
			if a, ok := strings.CutPrefix(string(b), "DBUS_SESSION_BUS_ADDRESS="); ok {
				addr = strings.TrimRight(a, "\r\n")
			}
		}
	}
	if addr == "" {
		return "", errors.New("no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set)")
	}
	usable := false
	for _, a := range strings.Split(addr, ";") {
		transport, params, _ := strings.Cut(a, ":")
		switch transport {
		case "unix":
			if p := busParam(params, "path"); p != "" {
				if _, err := os.Stat(p); err != nil {
					continue
				}
			}
			usable = true
		case "tcp", "nonce-tcp":
			usable = true
		}
	}
	if !usable {
		return "", errors.New("the D-Bus session bus address names no reachable bus")
	}
	return addr, nil
}

func busParam(params, key string) string {
	for _, kv := range strings.Split(params, ",") {
		if k, v, ok := strings.Cut(kv, "="); ok && k == key {
			if u, err := dbus.UnescapeBusAddressValue(v); err == nil {
				return u
			}
			return v
		}
	}
	return ""
}

// probeSecretService checks, within probeTimeout, that the session bus is
// reachable and that a Secret Service runs on it or can be started by it.
func probeSecretService(ctx context.Context) error {
	addr, err := sessionBusAddress()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, probeTimeout)
	defer cancel()
	conn, err := dbus.Dial(addr, dbus.WithContext(ctx))
	if err != nil {
		return fmt.Errorf("connect to the D-Bus session bus: %w", err)
	}
	defer conn.Close()
	if err := conn.Auth(nil); err != nil {
		return fmt.Errorf("connect to the D-Bus session bus: %w", err)
	}
	if err := conn.Hello(); err != nil {
		return fmt.Errorf("connect to the D-Bus session bus: %w", err)
	}
	bus := conn.BusObject()
	var owned bool
	if err := bus.CallWithContext(ctx, "org.freedesktop.DBus.NameHasOwner", 0, secretServiceName).Store(&owned); err != nil {
		return fmt.Errorf("ask the D-Bus session bus for a Secret Service: %w", err)
	}
	if owned {
		return nil
	}
	var activatable []string
	if err := bus.CallWithContext(ctx, "org.freedesktop.DBus.ListActivatableNames", 0).Store(&activatable); err != nil {
		return fmt.Errorf("ask the D-Bus session bus for a Secret Service: %w", err)
	}
	if !slices.Contains(activatable, secretServiceName) {
		return errors.New("no Secret Service (such as gnome-keyring) on the D-Bus session bus")
	}
	return nil
}
