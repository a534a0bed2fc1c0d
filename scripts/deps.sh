#!/bin/sh
# Installs what DataShare needs on Debian/Ubuntu and is missing: Debian packages (apt-get, with
# sudo when not root) for one purpose, after checking the Go and Node.js toolchains.
#
# Usage: scripts/deps.sh run|test
set -eu

purpose=${1:-test}

# Debian packages by purpose.
#   build: compile the desktop app (cgo, GTK 3, WebKitGTK 4.1)
#   run:   build, plus a session bus and the Secret Service that keeps keys
#   test:  build, plus a headless display and screenshots (Xvfb, ImageMagick, xdotool), a real
#          Secret Service for keyring tests (gnome-keyring under dbus-run-session), and Chromium
#          for browser tests of the frontend, and age and tar (a folder payload opens with them)
build_pkgs="build-essential pkg-config libgtk-3-dev libwebkit2gtk-4.1-dev"
run_pkgs="$build_pkgs dbus-x11 gnome-keyring"
test_pkgs="$build_pkgs dbus dbus-x11 gnome-keyring libsecret-tools xvfb xauth imagemagick xdotool chromium chromium-driver age tar"

case "$purpose" in
run) pkgs=$run_pkgs ;;
test) pkgs=$test_pkgs ;;
*)
	echo "usage: $0 run|test" >&2
	exit 2
	;;
esac

# Node.js and npm build the contract (pinned solc-js) and, later, the frontend.
command -v node >/dev/null 2>&1 || pkgs="$pkgs nodejs"
command -v npm >/dev/null 2>&1 || pkgs="$pkgs npm"

missing=""
for p in $pkgs; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done

if [ -n "$missing" ]; then
	echo "Installing Debian packages:$missing"
	sudo=""
	if [ "$(id -u)" -ne 0 ]; then
		sudo="sudo"
	fi
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing
fi

# Go comes from the Go project, not Debian (Debian 12 ships 1.19); say so plainly when it is missing.
need_go=$(sed -n 's/^go \([0-9.]*\)$/\1/p' "$(dirname "$0")/../go.mod")
if ! command -v go >/dev/null 2>&1; then
	echo "Go $need_go or newer is required: install it from the Go project's downloads (see README)." >&2
	exit 1
fi
have_go=$(go env GOVERSION | sed 's/^go//')
if [ "$(printf '%s\n%s\n' "$need_go" "$have_go" | sort -V | head -n1)" != "$need_go" ]; then
	echo "Go $need_go or newer is required; found $have_go." >&2
	exit 1
fi
