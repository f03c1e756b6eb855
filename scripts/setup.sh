#!/usr/bin/env bash
# Installs what is missing to build, run and test Dealflow. Idempotent; slow tools are cached
# in $DEALFLOW_TOOLS (default ~/.cache/dealflow-tools) and reused on later runs.
#
#   scripts/setup.sh         everything
#   scripts/setup.sh base    system packages, and the npm and PyPI tools (a few minutes)
#   scripts/setup.sh tools   the compiled build tools, cargo-leptos and wasm-bindgen (slow, once);
#                            needs `base` first
set -euo pipefail
. "$(dirname "$0")/env.sh"
cd "$DEALFLOW_ROOT"

phase="${1:-all}"
CARGO_LEPTOS_VERSION=0.3.11
WASM_BINDGEN_VERSION="$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/version = |"/, ""); print; exit}' Cargo.lock)"

log() { printf '\033[1;34m[setup]\033[0m %s\n' "$*"; }

sudo_cmd() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    log "apt-get install ${missing[*]}"
    sudo_cmd env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    sudo_cmd env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

# Background jobs: each logs to its own file; `await_all` fails when any of them failed.
mkdir -p "$DEALFLOW_TOOLS/logs"
pids=()
names=()
background() {
  local name="$1"; shift
  log "$name (log: $DEALFLOW_TOOLS/logs/$name.log)"
  ( start=$SECONDS; "$@" >"$DEALFLOW_TOOLS/logs/$name.log" 2>&1 \
      && log "$name done in $((SECONDS - start)) s" ) &
  pids+=($!)
  names+=("$name")
}
await_all() {
  local failed=0 i
  for i in "${!pids[@]}"; do
    if ! wait "${pids[$i]}"; then
      echo "[setup] ${names[$i]} failed; last lines of its log:" >&2
      tail -n 30 "$DEALFLOW_TOOLS/logs/${names[$i]}.log" >&2
      failed=1
    fi
  done
  pids=()
  names=()
  return "$failed"
}

# A download that stalls (the registry is reached over a slow or flaky network) is retried
# rather than failing the whole setup.
export CARGO_NET_RETRY=10 CARGO_HTTP_TIMEOUT=120
retry() {
  local n
  for n in 1 2 3; do
    "$@" && return 0
    echo "[setup] attempt $n of 3 failed: $*" >&2
    sleep $((n * 10))
  done
  return 1
}

base() {
  local packages=(pkg-config nodejs npm)
  if [ "$DEALFLOW_WASM_MODE" = build-std ]; then
    packages+=(rustc-web cargo-web rust-web-src lld-22)
  fi
  # DEALFLOW_SETUP_TESTS=0 (`make run`, `make build`) leaves out what only the tests need:
  # Chromium, the browser tests' npm packages and the PyPI tools.
  local for_tests="${DEALFLOW_SETUP_TESTS:-1}"
  if [ "$for_tests" = 1 ] && [ "${DEALFLOW_SETUP_BROWSER:-1}" = 1 ]; then
    packages+=(chromium)
  fi
  command -v node >/dev/null 2>&1 && packages=("${packages[@]/nodejs}") && packages=("${packages[@]/npm}")
  apt_install $(printf '%s\n' "${packages[@]}" | grep -v '^$')

  # Front-end tools (tailwindcss, wasm-opt) and the browser driver, from the npm registry.
  npm_ci() {
    local dir="$1" stamp="$1/node_modules/.dealflow-lock"
    if [ ! -f "$stamp" ] || ! cmp -s "$dir/package-lock.json" "$stamp"; then
      (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
      cp "$dir/package-lock.json" "$stamp"
    fi
  }
  npm_stale() {
    ! cmp -s "$1/package-lock.json" "$1/node_modules/.dealflow-lock" 2>/dev/null
  }
  if [ "$for_tests" = 1 ]; then
    if npm_stale "$DEALFLOW_ROOT" || npm_stale "$DEALFLOW_ROOT/end2end"; then
      npm_ci_all() { npm_ci "$DEALFLOW_ROOT" && npm_ci "$DEALFLOW_ROOT/end2end"; }
      background npm-ci npm_ci_all
    fi
  elif npm_stale "$DEALFLOW_ROOT"; then
    background npm-ci npm_ci "$DEALFLOW_ROOT"
  fi

  # Python test tools (the OpenAPI validator, schemathesis), into a virtualenv of their own.
  local py="$DEALFLOW_TOOLS/py"
  if [ "$for_tests" = 1 ] && ! cmp -s scripts/requirements-test.txt "$py/.dealflow-lock" 2>/dev/null; then
    python3 -m venv "$py" 2>/dev/null || { apt_install python3-venv; python3 -m venv "$py"; }
    pip_install() {
      "$py/bin/pip" install --quiet --disable-pip-version-check -r scripts/requirements-test.txt \
        && cp scripts/requirements-test.txt "$py/.dealflow-lock"
    }
    background pip pip_install
  fi
  await_all
}

tools() {
  # The host cargo for installing tools: Debian's 1.96 on build-std machines (cargo-leptos
  # needs rustc >= 1.96), rustup's otherwise.
  local install_cargo="cargo"
  [ "$DEALFLOW_WASM_MODE" = build-std ] && install_cargo=/usr/bin/cargo
  # Build tools need not be link-time optimized: without fat LTO and with parallel codegen
  # units the one-time install compiles on every core instead of one.
  export CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16

  # The two installs run side by side: each spends long stretches compiling one crate on one
  # core, so together they finish far sooner than one after the other.
  if ! "$DEALFLOW_TOOLS/bin/cargo-leptos" --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
    # cargo-leptos mostly runs other programs (cargo, wasm-bindgen, wasm-opt, tailwindcss):
    # unoptimized it compiles in far less time, and the few crates it runs heavy work in
    # itself (splitting and compressing the wasm) are still optimized.
    local hot=(wasm_split_cli_support wasmparser wasm-encoder gimli brotli brotli-decompressor
      flate2 miniz_oxide libflate libflate_lz77 crc32fast adler2 seahash md-5)
    local config=(--config 'profile.release.opt-level=0')
    for crate in "${hot[@]}"; do
      config+=(--config "profile.release.package.$crate.opt-level=3")
    done
    background cargo-leptos retry "$install_cargo" install cargo-leptos --version "=$CARGO_LEPTOS_VERSION" \
      --locked --features no_downloads --root "$DEALFLOW_TOOLS" \
      --target-dir "$DEALFLOW_TOOLS/build/cargo-leptos" "${config[@]}"
  fi

  if ! "$DEALFLOW_TOOLS/bin/wasm-bindgen" --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then
    # Not --locked: a dependency pinned in its lock file is missing from the registry.
    background wasm-bindgen retry "$install_cargo" install wasm-bindgen-cli --version "=$WASM_BINDGEN_VERSION" \
      --root "$DEALFLOW_TOOLS" --target-dir "$DEALFLOW_TOOLS/build/wasm-bindgen"
  fi
  await_all
  # Build directories are only needed while installing.
  rm -rf "$DEALFLOW_TOOLS/build"
}

case "$phase" in
  base) base ;;
  tools) tools ;;
  all) base && tools ;;
  *) echo "usage: scripts/setup.sh [base|tools]" >&2; exit 2 ;;
esac
log "ready: $phase ($DEALFLOW_WASM_MODE)"
