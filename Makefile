# The two commands in the README are `make demo` and `make test`.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

CSS := crates/web/assets/build/app.css
BIND ?= 127.0.0.1:8080

.PHONY: help demo test assets build release lint test-rust test-browser test-returns clean

help:
	@echo "make demo   build and start the service with the demo local authorities"
	@echo "make test   install test dependencies, start PostgreSQL and run every test"

## Front-end assets: GOV.UK Frontend from npm, compiled with Sass.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

$(CSS): crates/web/assets/app.scss node_modules/.package-lock.json
	npm run --silent build:css

assets: node_modules/.package-lock.json $(CSS)

build: assets
	cargo build --workspace

release: assets
	cargo build --release

demo: release
	./target/release/staying-close demo --bind $(BIND)

lint: assets
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings

test: assets
	scripts/install-test-deps.sh
	$(MAKE) --no-print-directory lint
	$(MAKE) --no-print-directory test-rust
	$(MAKE) --no-print-directory test-browser
	$(MAKE) --no-print-directory test-returns

test-rust:
	@echo "== Rust tests: unit, storage and HTTP tests on SQLite and on PostgreSQL =="
	pg_url="$$(scripts/start-postgres.sh)"; STAYING_CLOSE_TEST_POSTGRES_URL="$$pg_url" STAYING_CLOSE_EXPORT_DIR="$(CURDIR)/target/test-exports" cargo test --workspace

test-browser: build
	@echo "== Browser tests: headless Chromium with axe-core =="
	npm run --silent test:browser

test-returns: build
	@echo "== Returns and downloads checked by open-source tools: the 903 validator, openpyxl =="
	STAYING_CLOSE_EXPORT_DIR="$(CURDIR)/target/test-exports" scripts/check-returns.sh

clean:
	cargo clean
	rm -rf node_modules crates/web/assets/build test-results
