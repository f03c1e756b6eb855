# Build environment for Dealflow. Source it: `. scripts/env.sh`.
#
# Two kinds of machine are supported:
#   * rustup with the wasm32-unknown-unknown target installed (the usual laptop);
#   * no rustup wasm target: Debian's rustc-web/cargo-web/rust-web-src/lld-22 build std for
#     wasm from source (`-Zbuild-std`), selected automatically.
DEALFLOW_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEALFLOW_TOOLS="${DEALFLOW_TOOLS:-$HOME/.cache/dealflow-tools}"
export DEALFLOW_ROOT DEALFLOW_TOOLS

if command -v rustup >/dev/null 2>&1 \
  && rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  DEALFLOW_WASM_MODE=rustup
  DEALFLOW_LIB_CARGO_ARGS=""
else
  DEALFLOW_WASM_MODE=build-std
  # Debian's toolchain first, so rustup's proxies do not take over.
  export PATH="/usr/bin:$PATH"
  export RUSTC=/usr/bin/rustc CARGO=/usr/bin/cargo RUSTC_BOOTSTRAP=1
  export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=/usr/lib/llvm-22/bin/wasm-ld
  DEALFLOW_LIB_CARGO_ARGS="-Zbuild-std=std,panic_abort"
fi
export DEALFLOW_WASM_MODE DEALFLOW_LIB_CARGO_ARGS
export PATH="$DEALFLOW_TOOLS/bin:$DEALFLOW_ROOT/node_modules/.bin:$PATH"
