#!/usr/bin/env bash
# JSON API benchmark (not a test): GET /v1/opportunities?per_page=100 and a deals search
# (name_cont + status_eq) over 10k and 100k deals on SQLite, each against a bare axum + sqlx
# handler running the same query in the same process. Load comes from wrk in another process.
# Prints a Markdown table; `scripts/bench-api.sh > /tmp/api.md` and paste into BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES="${BENCH_SIZES:-10000 100000}"
DURATION="${BENCH_DURATION:-10s}"
CONNECTIONS="${BENCH_CONNECTIONS:-16}"

command -v wrk >/dev/null || {
  sudo_cmd() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
  sudo_cmd env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
}
cargo build --release --features ssr --example api_bench >&2
bin=target/release/examples/api_bench

work="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

cat >"$work/search.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_KEY")
wrk.body = '{"query": {"name_cont": "customer 42", "status_eq": "open"}}'
LUA
cat >"$work/get.lua" <<'LUA'
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_KEY")
LUA

# wrk's summary → "req/s p50 p99" (latencies in ms).
measure() {
  local script="$1" url="$2"
  wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -s "$script" "$url" | awk '
    function ms(v) { if (v ~ /us$/) return v/1000; if (v ~ /ms$/) return v+0; if (v ~ /s$/) return v*1000; return v }
    /^ +50%/ { p50 = ms($2) } /^ +99%/ { p99 = ms($2) } /^Requests\/sec/ { rps = $2 }
    /Non-2xx/ { bad = $NF }
    END { if (bad) { print "non-2xx answers: " bad > "/dev/stderr"; exit 1 } printf "%.0f %.2f %.2f\n", rps, p50, p99 }'
}

echo "| Data | Endpoint | Dealflow req/s | p50 ms | p99 ms | Bare axum+sqlx req/s | p50 ms | p99 ms | Ratio |"
echo "|---:|---|---:|---:|---:|---:|---:|---:|---:|"
port=18000
for n in $SIZES; do
  port=$((port + 2))
  rm -f "$work/bench.db"
  "$bin" "$work/bench.db" "$n" "$port" "$((port + 1))" >"$work/out" 2>"$work/err" &
  for _ in $(seq 1 600); do grep -q ready "$work/out" 2>/dev/null && break; sleep 0.2; done
  grep -q ready "$work/out" || { cat "$work/err" >&2; exit 1; }
  export BENCH_KEY="$(head -1 "$work/out")"
  for case in list search; do
    if [ "$case" = list ]; then
      app=$(measure "$work/get.lua" "http://127.0.0.1:$port/v1/opportunities?per_page=100")
      bare=$(measure "$work/get.lua" "http://127.0.0.1:$((port + 1))/v1/opportunities")
      label='`GET /v1/opportunities?per_page=100`'
    else
      app=$(measure "$work/search.lua" "http://127.0.0.1:$port/api/v1/accounts/1/deals/search")
      bare=$(measure "$work/search.lua" "http://127.0.0.1:$((port + 1))/search")
      label='`POST …/deals/search` name_cont + status_eq'
    fi
    read -r a50 a_p50 a_p99 <<<"$app"
    read -r b50 b_p50 b_p99 <<<"$bare"
    ratio=$(awk -v a="$a50" -v b="$b50" 'BEGIN { printf "%.0f %%", 100 * a / b }')
    echo "| $n | $label | $a50 | $a_p50 | $a_p99 | $b50 | $b_p50 | $b_p99 | $ratio |"
  done
  kill %1 2>/dev/null || true
  wait 2>/dev/null || true
done
