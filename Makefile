# DataShare — `make run` starts the app on the embedded defaults, `make test` runs every check.
# Both install what is missing first (Debian packages via apt-get, npm packages via npm ci, Go
# modules via the Go toolchain).

GO ?= go
SHELL := /bin/bash

# Files generated from contracts/DataShare.sol by `make contracts` (go generate).
GENERATED := contracts/datashare.gen.go contracts/internal/testcontracts/testcontracts.gen.go

.PHONY: all run test deps-run deps-test contracts check-generated gas check-gas vet gotest

all: test

## Dependencies -------------------------------------------------------------------------------

deps-run:
	@scripts/deps.sh run

deps-test:
	@scripts/deps.sh test

contracts/node_modules/.package-lock.json: contracts/package.json contracts/package-lock.json
	cd contracts && npm ci --no-audit --no-fund --loglevel=error

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

gotest:
	$(GO) test -count=1 ./...

test: deps-test check-generated vet gotest check-gas

run: deps-run
	@echo "The desktop app is not built yet: this checkout has the contract only." >&2; exit 1
