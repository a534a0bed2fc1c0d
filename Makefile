# DataShare — `make run` starts the app on the embedded defaults, `make test` runs every check.
# Both install what is missing first (Debian packages via apt-get, npm packages via npm ci, Go
# modules via the Go toolchain).

GO ?= go
SHELL := /bin/bash

# Files generated from contracts/DataShare.sol by `make contracts` (go generate).
GENERATED := contracts/datashare.gen.go contracts/internal/testcontracts/testcontracts.gen.go

GUI_BIN := build/bin/datashare-gui
CLI_BIN := build/bin/datashare
# The desktop build: WebKitGTK 4.1; `production` embeds the built frontend (Wails refuses to start
# without it or `dev`).
DESKTOP_TAGS := desktop,webkit2_41,production
# The version both builds report (datashare --version): from git, e.g. 0.3.0-12-gabc123.
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -w -s -X main.version=$(VERSION)

.PHONY: all run build cli test bench deps-run deps-test contracts check-generated gas check-gas \
	vet gotest frontend frontend-test test-browser screenshots clean bad-input man

all: build cli

## Dependencies -------------------------------------------------------------------------------

deps-run:
	@scripts/deps.sh run

deps-test:
	@scripts/deps.sh test

contracts/node_modules/.package-lock.json: contracts/package.json contracts/package-lock.json
	cd contracts && npm ci --no-audit --no-fund --loglevel=error

frontend/node_modules/.package-lock.json: frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund --loglevel=error

# The real WalletConnect SDK, acting as the phone wallet in the conformance tests.
WALLET_SDK := backend/walletconnect/testdata/wallet
$(WALLET_SDK)/node_modules/.package-lock.json: $(WALLET_SDK)/package.json $(WALLET_SDK)/package-lock.json
	cd $(WALLET_SDK) && npm ci --no-audit --no-fund --loglevel=error

# playwright-core (pinned) drives Debian's Chromium in the browser test; it downloads no browser.
BROWSER_TEST := app/browsertest
$(BROWSER_TEST)/node_modules/.package-lock.json: $(BROWSER_TEST)/package.json $(BROWSER_TEST)/package-lock.json
	cd $(BROWSER_TEST) && npm ci --no-audit --no-fund --loglevel=error

## Build --------------------------------------------------------------------------------------

# The frontend bundle embedded in the desktop app.
frontend: frontend/node_modules/.package-lock.json
	cd frontend && npm run build --silent

# The desktop app (needs the packages deps-run installs: GTK 3, WebKitGTK 4.1, a C compiler).
build: deps-run frontend
	$(GO) build -tags $(DESKTOP_TAGS) -ldflags "$(LDFLAGS)" -o $(GUI_BIN) .
	@echo "built $(GUI_BIN)"

# The command-line face: no cgo, runs anywhere Go runs.
cli:
	CGO_ENABLED=0 $(GO) build -ldflags "$(LDFLAGS)" -o $(CLI_BIN) ./cmd/datashare
	@echo "built $(CLI_BIN)"

# The command's manual pages (datashare.1, datashare-publish.1, ...), generated from its help.
man: cli
	./$(CLI_BIN) man build/man

# Start the app on the embedded defaults: local chain, IPFS daemon if one runs, else embedded.
run: build
	./$(GUI_BIN)

## Contract -----------------------------------------------------------------------------------

# Rebuild the contract with the pinned solc and regenerate the Go bindings.
contracts: contracts/node_modules/.package-lock.json
	$(GO) generate ./contracts/...

# Regenerate from source and fail if that changes any generated file.
check-generated: contracts/node_modules/.package-lock.json
	@tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	cp --parents $(GENERATED) "$$tmp"; \
	$(GO) generate ./contracts/... >/dev/null; \
	status=0; \
	for f in $(GENERATED); do \
		if ! cmp -s "$$f" "$$tmp/$$f"; then \
			echo "$$f does not match contracts/DataShare.sol built with the pinned solc:"; \
			diff -u "$$tmp/$$f" "$$f" | head -n 20; status=1; \
		fi; \
	done; \
	if [ $$status -ne 0 ]; then echo "Run 'make contracts' and commit the result."; fi; \
	exit $$status
	@echo "contract bindings are up to date"

# Run every row of the bad-input table (cmd/datashare/badinput_test.go) and write
# docs/bad-input.md; gotest fails when it is out of date.
bad-input:
	$(GO) test ./cmd/datashare/ -run '^TestBadInputTable$$' -count=1 -args -update
	@echo "wrote docs/bad-input.md"

# Measure gas under mainnet rules and write docs/gas.md.
gas:
	$(GO) test ./contracts/ -run '^TestGasTable$$' -count=1 -args -gas.out=$(CURDIR)/docs/gas.md
	@echo "wrote docs/gas.md"

# Fail if docs/gas.md does not show what the contract costs today.
check-gas:
	@tmp=$$(mktemp); trap 'rm -f "$$tmp"' EXIT; \
	$(GO) test ./contracts/ -run '^TestGasTable$$' -count=1 -args -gas.out="$$tmp" >/dev/null || exit 1; \
	if ! cmp -s "$$tmp" docs/gas.md; then \
		echo "docs/gas.md is out of date:"; diff -u docs/gas.md "$$tmp"; echo "Run 'make gas' and commit the result."; exit 1; \
	fi
	@echo "docs/gas.md is up to date"

## Checks -------------------------------------------------------------------------------------

vet:
	$(GO) vet ./...
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './node_modules/*')); \
	if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi

# Keyring tests start their own Secret Service (gnome-keyring in a private D-Bus session).
# A test whose real part (Secret Service, Node.js, pseudo-terminals, ...) is missing fails under
# CI=true (.ci/run sets it) and is skipped with its reason otherwise (go test -v shows it).
# The packages where DataShare's own concurrency lives run under the race detector; the others
# (chain/devnet is go-ethereum's node and times out under it) run once without it. backend/share
# runs whole without it (under it, its real chains and IPFS nodes take over 15 minutes) and its
# tests of concurrent paths once more under it: SHARE_RACE_TESTS.
RACE_PKGS := ./app/ ./backend/api/ ./backend/approval/ ./backend/chain/ ./backend/index/ ./backend/ipfs/ \
	./backend/walletconnect/...
SHARE_RACE_TESTS := ^(TestPublishApprovedOnPhone|TestListCoversEveryAccount|TestOpenAndListNeverSend|TestJobsInterruptedAndDiscard|TestWaitWalletWithoutWallet|TestFulfilPaid|TestLocalPeers)$$
gotest: $(WALLET_SDK)/node_modules/.package-lock.json
	@if [ "$${CI:-}" = true ]; then echo "CI=true: a test whose real part is missing fails"; \
	else echo "CI is not true: a test whose real part is missing is skipped (CI=true make test fails it)"; fi
	$(GO) test -race -count=1 -timeout 20m $(RACE_PKGS)
	$(GO) test -race -count=1 -timeout 15m -run '$(SHARE_RACE_TESTS)' ./backend/share/
	$(GO) test -count=1 $$($(GO) list ./... | grep -vxF -f <($(GO) list $(RACE_PKGS) ./$(BROWSER_TEST)/))

# The window's sharing flow in a real browser: the built bundle, three real profiles on a local
# chain of the test's own, Chromium (Debian's) driven by playwright-core (about a minute).
test-browser: frontend $(BROWSER_TEST)/node_modules/.package-lock.json
	$(GO) test -count=1 -timeout 8m ./$(BROWSER_TEST)/

# Regenerate the pictures in docs/screenshots from the browser test's run.
screenshots: frontend $(BROWSER_TEST)/node_modules/.package-lock.json
	BROWSER_SCREENSHOT=$(CURDIR)/docs/screenshots/share.png $(GO) test -count=1 -timeout 8m -run '^TestShareInBrowser$$' ./$(BROWSER_TEST)/
	@echo "wrote docs/screenshots/share.png"

frontend-test: frontend/node_modules/.package-lock.json
	cd frontend && npm test --silent

test: deps-test check-generated vet gotest frontend-test test-browser check-gas

# 1 GiB publish and fetch through the command, with a Secret Service as on a desktop: prints
# throughput and peak RSS.
bench: deps-test
	@export XDG_DATA_HOME=$$(mktemp -d); \
	dbus-run-session -- sh -c 'echo -n bench | gnome-keyring-daemon --unlock --components=secrets >/dev/null; \
		$(GO) test ./cmd/datashare/ -run "^$$" -bench PublishFetch1GiB -benchtime 1x -count=1'; \
	status=$$?; rm -rf "$$XDG_DATA_HOME"; exit $$status

clean:
	rm -rf build/bin build/man frontend/dist contracts/build
