# Flare — the two commands a newcomer needs:
#   make run    install what is missing, build, serve http://127.0.0.1:3000 with a demo
#   make test   install what the tests need, run every test
# Everything a fresh machine lacks is installed here; nothing is downloaded from outside the
# package registries (crates.io, npm, Debian).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.PHONY: help run build test test-rust test-postgres test-e2e bench bench-web fuzz fuzz-tools lint fmt clean tools rust-tools node-tools browser

CARGO_LEPTOS_VERSION := 0.3.11
WASM_BINDGEN_VERSION := $(shell awk '/^name = "wasm-bindgen"$$/ { getline; gsub(/"/, "", $$3); print $$3 }' Cargo.lock)
NODE_BIN := $(CURDIR)/end2end/node_modules/.bin
export PATH := $(NODE_BIN):$(HOME)/.cargo/bin:$(PATH)
DB_FILE := data/flare.db

help:
	@echo "make run    build and serve Flare at http://127.0.0.1:3000 on data/flare.db (demo seeded if empty)"
	@echo "make test   run every test: Rust (SQLite; PostgreSQL too when TEST_DATABASE_URL is set) and Playwright"
	@echo "make bench  print the benchmark figures (board, moves, live delivery, dashboard)"
	@echo "make bench-web  Lighthouse (mobile) on the main pages of the release build, and board interaction times"
	@echo "make fuzz   fuzz the REST API with schemathesis on a fresh demo server (FUZZ_SECONDS=300)"
	@echo "make lint   rustfmt and clippy (-D warnings) for the server and wasm builds"

# ---------------------------------------------------------------------------------------------
# Tools

tools: rust-tools node-tools

rust-tools:
	@rustup target list --installed | grep -qx wasm32-unknown-unknown || { \
	  echo "==> Adding the wasm32 target (seconds)"; rustup target add wasm32-unknown-unknown; }
	@if [ "$$(cargo leptos --version 2>/dev/null | awk '{print $$2}')" != "$(CARGO_LEPTOS_VERSION)" ]; then \
	  echo "==> Installing cargo-leptos $(CARGO_LEPTOS_VERSION) from crates.io (about 13 minutes, once)"; \
	  cargo install cargo-leptos --version $(CARGO_LEPTOS_VERSION) --locked --ignore-rust-version --features no_downloads; fi
	@if [ "$$(wasm-bindgen --version 2>/dev/null | awk '{print $$2}')" != "$(WASM_BINDGEN_VERSION)" ]; then \
	  echo "==> Installing wasm-bindgen-cli $(WASM_BINDGEN_VERSION), the lockfile's version (several minutes, once)"; \
	  cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION); fi

# wasm-opt comes from npm's binaryen (Debian's is too old for today's Chromium).
node-tools: end2end/node_modules/.installed

end2end/node_modules/.installed: end2end/package.json end2end/package-lock.json
	@echo "==> Installing npm packages for the build and the browser tests (seconds)"
	cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
	@touch $@

browser:
	@command -v chromium >/dev/null || { \
	  echo "==> Installing Debian's Chromium for the browser tests (about a minute, once)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; }

# ---------------------------------------------------------------------------------------------
# Build and run

build: tools
	@echo "==> Building Flare in release mode (cold: about 11 minutes; warm: seconds to minutes)"
	cargo leptos build --release --precompress --split

run: build
	@mkdir -p data
	@./target/release/flare demo --if-empty
	@echo "==> Serving Flare at http://127.0.0.1:3000 (Ctrl-C to stop)"
	exec ./target/release/flare serve

# ---------------------------------------------------------------------------------------------
# Tests

test: tools browser test-rust test-postgres test-e2e
	@echo "==> All tests passed"

test-rust:
	@echo "==> Rust tests on SQLite"
	cargo test -p app --features ssr
	cargo test -p migrations
	cargo test -p server

# The same integration tests on PostgreSQL; each test creates its own schema.
test-postgres:
	@if [ -n "$${TEST_DATABASE_URL:-}" ]; then \
	  echo "==> Rust integration tests on PostgreSQL"; \
	  FLARE_TEST_BACKEND=postgres cargo test -p server; \
	else echo "==> TEST_DATABASE_URL is not set: skipping the PostgreSQL run"; fi

test-e2e: build browser
	@echo "==> Browser tests (Playwright, Debian's Chromium) against the release build"
	cd end2end && npx playwright test

# The same environment cargo-leptos gives the server build, so the benchmark reuses its artifacts.
LEPTOS_ENV := LEPTOS_OUTPUT_NAME=flare LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg \
	LEPTOS_SITE_ADDR=127.0.0.1:3000 LEPTOS_RELOAD_PORT=3001 LEPTOS_LIB_DIR=frontend LEPTOS_BIN_DIR=server \
	LEPTOS_JS_MINIFY=true LEPTOS_HASH_FILES=false

bench:
	@echo "==> Building and running the benchmark (release)"
	$(LEPTOS_ENV) cargo build --release -p server --bin bench
	RUST_LOG=warn ./target/release/bench

# Lighthouse (npm, its own folder so make test never installs it) on the release build that
# make build left; builds nothing itself.
BENCH_WEB := end2end/bench-web

$(BENCH_WEB)/node_modules/.installed: $(BENCH_WEB)/package.json $(BENCH_WEB)/package-lock.json
	@echo "==> Installing Lighthouse from npm for the web benchmark (seconds, once)"
	cd $(BENCH_WEB) && npm ci --no-audit --no-fund
	@touch $@

bench-web: node-tools browser $(BENCH_WEB)/node_modules/.installed
	@test -x target/release/flare -a -d target/site/pkg || { \
	  echo "make bench-web measures the release build: run make build first" >&2; exit 2; }
	CHROME_PATH=$$(command -v chromium) node $(BENCH_WEB)/run.mjs

# schemathesis (PyPI) in a virtualenv under target/; Debian's python3 needs python3-venv for it.
SCHEMATHESIS_VERSION := 4.32.5
FUZZ_VENV := target/fuzz-venv

fuzz-tools: $(FUZZ_VENV)/.installed

$(FUZZ_VENV)/.installed:
	@python3 -c 'import ensurepip, venv' 2>/dev/null || { \
	  echo "==> Installing Debian's python3-venv (seconds, once)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null; }
	@echo "==> Installing schemathesis $(SCHEMATHESIS_VERSION) from PyPI into $(FUZZ_VENV) (a minute, once)"
	python3 -m venv $(FUZZ_VENV)
	$(FUZZ_VENV)/bin/pip install -q --disable-pip-version-check "schemathesis==$(SCHEMATHESIS_VERSION)"
	@touch $@

# A fresh demo server on a temporary SQLite database, fuzzed as an admin and as a viewer;
# fails on any 5xx, non-JSON error, undocumented status or response-schema violation.
fuzz: build fuzz-tools
	FLARE_BIN=target/release/flare ST=$(FUZZ_VENV)/bin/st end2end/fuzz/run.sh

lint:
	cargo fmt --all -- --check
	cargo clippy -p app -p server -p migrations --features app/ssr --all-targets -- -D warnings
	cargo clippy -p frontend --target wasm32-unknown-unknown -- -D warnings

fmt:
	cargo fmt --all

clean:
	cargo clean
	rm -rf end2end/node_modules end2end/test-results data
