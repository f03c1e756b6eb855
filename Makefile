# Dealflow — `make run` to try it, `make test` to check it. See README.md.
SHELL := /bin/bash
ADDR ?= 127.0.0.1:3000
DATABASE_URL ?= sqlite://dealflow.db
ENV := . scripts/env.sh &&

.PHONY: run build site site-front setup test lint bench serve clean-tools

## Installs what is missing, builds, migrates, loads the demo data and serves on $(ADDR).
run: build
	@target/release/dealflow --database-url "$(DATABASE_URL)" migrate
	@target/release/dealflow --database-url "$(DATABASE_URL)" demo
	@echo
	@echo "  Dealflow: http://$(ADDR)"
	@echo "  Log in as owner@demo.test / dealflow-demo"
	@echo
	@LEPTOS_SITE_ROOT=target/site target/release/dealflow --database-url "$(DATABASE_URL)" serve --addr "$(ADDR)"

## Release binary (target/release/dealflow) and site (target/site) for deployment and
## benchmarks; installs what is missing to build (not what only the tests need) and times each phase.
build:
	@scripts/build.sh

## Runs every test (lints, unit, HTTP integration on SQLite and PostgreSQL, browser); installs
## what is missing first.
test:
	@scripts/test.sh

## Installs the toolchain pieces that are missing (cached under ~/.cache/dealflow-tools).
setup:
	@scripts/setup.sh

## Benchmarks (about 25 minutes on 2 cores): figures against baselines, written to BENCHMARKS.md (Chromium
## and the browser tests' npm packages are installed for the time-to-interactive figures).
bench: build
	@scripts/setup.sh base
	@$(ENV) scripts/bench.sh

site:
	@$(ENV) cargo leptos build --release --precompress --split $${DEALFLOW_LIB_CARGO_ARGS:+--lib-cargo-args=$$DEALFLOW_LIB_CARGO_ARGS}

## The browser half alone (wasm, stylesheet, static files under target/site), for a server
## built by `cargo build` / `cargo test`. Compressed copies left by `make build` go first: the
## server prefers them, and they would be of the previous build.
site-front:
	@find target/site -name '*.br' -delete -o -name '*.gz' -delete 2>/dev/null || true
	@$(ENV) cargo leptos build --release --split --frontend-only $${DEALFLOW_LIB_CARGO_ARGS:+--lib-cargo-args=$$DEALFLOW_LIB_CARGO_ARGS}

lint:
	cargo fmt --check
	cargo clippy --features ssr --all-targets -- -D warnings
	cargo clippy --lib --features hydrate -- -D warnings
