#!/usr/bin/env bash
# Builds what `make run` serves and `make bench` measures: the release server
# (target/release/dealflow) and the release site (target/site). Says how long each phase took.
#
# On a new machine most of the time is compiling: the build tools (cargo-leptos,
# wasm-bindgen; once, cached in ~/.cache/dealflow-tools), the server and the wasm half. Two
# chains run side by side: the server, which needs none of the tools, and the tools followed by
# the site. What only the tests need (Chromium, the PyPI tools, the browser tests' npm
# packages) is left to `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."

start=$SECONDS
phases=()
# `timed NAME COMMAND...`: runs the command and records how long it took.
timed() {
  local name="$1" from=$SECONDS
  shift
  "$@"
  phases+=("$(printf '%5d s  %s (from %d s to %d s)' $((SECONDS - from)) "$name" $((from - start)) $((SECONDS - start)))")
}
site_chain=""
on_exit() {
  if [ -n "$site_chain" ]; then kill "$site_chain" 2>/dev/null || true; fi
  [ -f target/build-site.phases ] && while IFS= read -r line; do phases+=("$line"); done <target/build-site.phases
  printf '\n\033[1;34m== build phases\033[0m\n'
  printf '%s\n' "${phases[@]}"
  printf '%5d s  in all\n' "$((SECONDS - start))"
}
trap on_exit EXIT

printf '\n\033[1;34m== setup: system packages and the stylesheet and wasm tools (npm)\033[0m\n'
timed "setup: system packages, npm tools" env DEALFLOW_SETUP_TESTS=0 scripts/setup.sh base
. scripts/env.sh
mkdir -p target
rm -f target/build-site.phases

# The tools, then the site: in the background, logged to target/build-site.log.
site() {
  local from=$SECONDS
  scripts/setup.sh tools
  printf '%5d s  %s (from %d s to %d s)\n' $((SECONDS - from)) "build tools (cargo-leptos, wasm-bindgen)" \
    $((from - start)) $((SECONDS - start)) >>target/build-site.phases
  from=$SECONDS
  cargo leptos build --release --precompress --split --frontend-only \
    ${DEALFLOW_LIB_CARGO_ARGS:+--lib-cargo-args=$DEALFLOW_LIB_CARGO_ARGS}
  printf '%5d s  %s (from %d s to %d s)\n' $((SECONDS - from)) "site: wasm, stylesheet, static files" \
    $((from - start)) $((SECONDS - start)) >>target/build-site.phases
}
printf '\n\033[1;34m== build tools then site (log: target/build-site.log), beside the server\033[0m\n'
site >target/build-site.log 2>&1 &
site_chain=$!

printf '\n\033[1;34m== server (release)\033[0m\n'
# cargo-leptos would bake LEPTOS_OUTPUT_NAME in; the server is built as it would build it.
timed "server (release)" env LEPTOS_OUTPUT_NAME=dealflow cargo build --release --features ssr --bin dealflow

printf '\n\033[1;34m== waiting for the build tools and the site\033[0m\n'
chain=$site_chain
site_chain=""
if ! wait "$chain"; then
  tail -n 40 target/build-site.log >&2
  exit 1
fi
tail -n 5 target/build-site.log
