#!/usr/bin/env bash
# Installs what is missing to build, run and test Dealflow. Idempotent; slow tools are cached
# in $DEALFLOW_TOOLS (default ~/.cache/dealflow-tools) and reused on later runs.
set -euo pipefail
. "$(dirname "$0")/env.sh"
cd "$DEALFLOW_ROOT"

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

packages=(pkg-config nodejs npm)
if [ "$DEALFLOW_WASM_MODE" = build-std ]; then
  packages+=(rustc-web cargo-web rust-web-src lld-22)
fi
if [ "${DEALFLOW_SETUP_BROWSER:-1}" = 1 ]; then
  packages+=(chromium)
fi
command -v node >/dev/null 2>&1 && packages=("${packages[@]/nodejs}") && packages=("${packages[@]/npm}")
apt_install $(printf '%s\n' "${packages[@]}" | grep -v '^$')

# The host cargo for installing tools: Debian's 1.96 on build-std machines (cargo-leptos needs
# rustc >= 1.96), rustup's otherwise.
install_cargo="cargo"
[ "$DEALFLOW_WASM_MODE" = build-std ] && install_cargo=/usr/bin/cargo
# Build tools need not be link-time optimized: without fat LTO and with parallel codegen units
# the one-time install compiles on every core instead of one.
export CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16

if ! "$DEALFLOW_TOOLS/bin/cargo-leptos" --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
  log "cargo install cargo-leptos $CARGO_LEPTOS_VERSION (slow, once; cached in $DEALFLOW_TOOLS)"
  "$install_cargo" install cargo-leptos --version "=$CARGO_LEPTOS_VERSION" --locked \
    --features no_downloads --root "$DEALFLOW_TOOLS"
fi

if ! "$DEALFLOW_TOOLS/bin/wasm-bindgen" --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then
  log "cargo install wasm-bindgen-cli $WASM_BINDGEN_VERSION (cached in $DEALFLOW_TOOLS)"
  # Not --locked: a dependency pinned in its lock file is missing from the registry.
  "$install_cargo" install wasm-bindgen-cli --version "=$WASM_BINDGEN_VERSION" --root "$DEALFLOW_TOOLS"
fi

# Front-end tools (tailwindcss, wasm-opt) and the browser driver, from the npm registry.
npm_ci() {
  local dir="$1" stamp="$1/node_modules/.dealflow-lock"
  if [ ! -f "$stamp" ] || ! cmp -s "$dir/package-lock.json" "$stamp"; then
    log "npm ci in ${dir#$DEALFLOW_ROOT/}"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
    cp "$dir/package-lock.json" "$stamp"
  fi
}
npm_ci "$DEALFLOW_ROOT"
npm_ci "$DEALFLOW_ROOT/end2end"

# Python test tools (the OpenAPI validator), from PyPI into a virtualenv of their own.
py="$DEALFLOW_TOOLS/py"
if ! cmp -s scripts/requirements-test.txt "$py/.dealflow-lock" 2>/dev/null; then
  log "pip install -r scripts/requirements-test.txt (into ${py})"
  if ! python3 -m venv "$py"; then
    apt_install python3-venv
    python3 -m venv "$py"
  fi
  "$py/bin/pip" install --quiet --disable-pip-version-check -r scripts/requirements-test.txt
  cp scripts/requirements-test.txt "$py/.dealflow-lock"
fi

log "toolchain ready ($DEALFLOW_WASM_MODE)"
