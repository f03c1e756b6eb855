#!/usr/bin/env bash
# Runs every test: formatting and lints, unit, service-level and HTTP integration tests on
# SQLite and PostgreSQL, then the browser tests. Says how long each phase took.
#
# The server is compiled once: clippy lints it while it compiles the test build (clippy-driver
# as the workspace's compiler), and the browser tests run that same build against a release
# site (wasm and stylesheet only). The slow build tools, when missing, install in the
# background meanwhile.
set -euo pipefail
cd "$(dirname "$0")/.."

export TEST_POSTGRES_URL="${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}"

phases=()
phase_start=$SECONDS
step() {
  finish_step
  phase_name="$*"
  phase_start=$SECONDS
  printf '\n\033[1;34m== %s\033[0m\n' "$*"
}
finish_step() {
  if [ -n "${phase_name:-}" ]; then
    phases+=("$(printf '%5d s  %s' $((SECONDS - phase_start)) "$phase_name")")
  fi
}
report() {
  finish_step
  phase_name=""
  printf '\n\033[1;34m== phases\033[0m\n'
  printf '%s\n' "${phases[@]}"
  printf '%5d s  in all\n' "$SECONDS"
}
tools=""
on_exit() {
  report
  # The background install stops with the run.
  if [ -n "$tools" ]; then kill "$tools" 2>/dev/null || true; fi
}
trap on_exit EXIT

step "setup: system packages, npm and PyPI tools"
scripts/setup.sh base
mkdir -p target
scripts/setup.sh tools >target/setup-tools.log 2>&1 &
tools=$!

step "format"
cargo fmt --check

step "lints (ssr, every target) and the test build"
# Host-side checks use the machine's own cargo (scripts/env.sh is only for the wasm build).
lint_env=(RUSTC_WORKSPACE_WRAPPER="$(rustc --print sysroot)/bin/clippy-driver"
  CLIPPY_ARGS="-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__")
env "${lint_env[@]}" cargo test --features ssr --all-targets --no-run

step "lints (hydrate)"
cargo clippy --lib --features hydrate -- -D warnings

step "the build tools (installed in the background since setup)"
if ! wait "$tools"; then
  tools=""
  cat target/setup-tools.log >&2
  exit 1
fi
tools=""
cat target/setup-tools.log

step "site: wasm and stylesheet (release)"
make --no-print-directory site-front

step "unit, service-level and HTTP tests (SQLite, PostgreSQL at $TEST_POSTGRES_URL)"
# A hung test fails the run after 20 minutes instead of holding CI until its deadline.
env "${lint_env[@]}" timeout --kill-after=30 1200 cargo test --features ssr --all-targets

step "browser tests (Chromium)"
# A test that hangs fails after 5 minutes, and the runner ends when the last file has finished
# even if something it started is still running; the whole phase is capped at 40 minutes.
(cd end2end && DEALFLOW_BIN="$PWD/../target/debug/dealflow" timeout --kill-after=30 2400 \
  node --test --test-concurrency=1 --test-timeout=300000 --test-force-exit tests/)
