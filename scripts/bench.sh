#!/usr/bin/env bash
# The benchmark suite (`make bench`; figures, not pass/fail checks).
#
# For each database (SQLite, PostgreSQL) and data set (1k, 10k, 100k deals, made by
# `examples/bench.rs seed`), starts the release server (`dealflow serve`) and the baseline server
# (`examples/bench.rs bare`, the same SQL on a plain sqlx pool) on the same data, and loads both
# with wrk from this process: board page, drag moves, the /v1 list, a deals search, the lead
# intake; then the server's memory idle and under 64 clients, its CPU idle with 50 live boards
# open (SQLite), automation events per second
# (`examples/automation_bench.rs`) and the gzip size of the wasm and CSS the browser loads.
#
# Results go to target/bench/results.tsv; scripts/bench-report.py turns them into the "Latest
# run" section of BENCHMARKS.md and prints a comparison with the run recorded there before.
#
# Then, per database, a CSV import of 10,000 and of 100,000 rows and an export of 100,000 deals
# (`examples/import_bench.rs`), each with its baseline.
#
#   make bench                                   # everything (about 25 minutes on 2 cores)
#   BENCH_DATABASES=sqlite BENCH_SIZES=10000 BENCH_DURATION=3s make bench
#   BENCH_WRITE=0 make bench                     # compare only, leave BENCHMARKS.md alone
#   BENCH_ONLY='report_' make bench             # the cases whose name matches (a regex); compare only
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION="${BENCH_DURATION:-5s}"
SIZES="${BENCH_SIZES:-1000 10000 100000}"
DATABASES="${BENCH_DATABASES:-sqlite postgres}"
PG_URL="${BENCH_POSTGRES_URL:-${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}}"
THROUGHPUT_CONNS=16 # list, moves, intake: requests per second with many clients
LATENCY_CONNS=1     # board, search: the server time of one request

log() { printf '\033[1;34m[bench]\033[0m %s\n' "$*" >&2; }
sudo_cmd() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

command -v wrk >/dev/null || {
  log "apt-get install wrk"
  sudo_cmd env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
}
# The server as `make build` builds it (cargo-leptos bakes LEPTOS_OUTPUT_NAME in); the examples
# in a build of their own, so that their dev-dependencies do not rebuild the server.
export LEPTOS_OUTPUT_NAME=dealflow
if [ ! -x target/release/dealflow ]; then
  log "building the release server"
  cargo build --release --features ssr --bin dealflow >&2
fi
log "building the benchmark programs"
cargo build --release --features ssr --example bench --example automation_bench --example import_bench >&2
app_bin=target/release/dealflow
bench_bin=target/release/examples/bench

out=target/bench
mkdir -p "$out"
results="$out/results.tsv"
: >"$results"
work="$(mktemp -d)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

record() { printf '%s\t%s\n' "$1" "$2" >>"$results"; }
json() { python3 -c 'import json,sys; v=json.load(open(sys.argv[1]))[sys.argv[2]]; print(",".join(map(str,v)) if isinstance(v,list) else v)' "$1" "$2"; }

# --- wrk scripts --------------------------------------------------------------------------------
cat >"$work/get.lua" <<'LUA'
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_KEY")
wrk.headers["Cookie"] = os.getenv("BENCH_COOKIE")
LUA
cat >"$work/search.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_KEY")
wrk.body = os.getenv("BENCH_SEARCH_BODY")
LUA
cat >"$work/move.lua" <<'LUA'
-- A drag: a random open deal of the board to the end of a random stage.
local function list(s) local t = {} for v in s:gmatch("[^,]+") do t[#t + 1] = v end return t end
local deals, stages = list(os.getenv("BENCH_DEALS")), list(os.getenv("BENCH_STAGES"))
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = os.getenv("BENCH_COOKIE")
function setup(thread) thread:set("seed", math.random(1, 1e9)) end
function init() math.randomseed(seed or os.time()) end
function request()
  local body = "deal_id=" .. deals[math.random(#deals)] .. "&stage_id=" .. stages[math.random(#stages)]
  return wrk.format(nil, nil, nil, body)
end
LUA
cat >"$work/intake.lua" <<'LUA'
-- A lead with a new person each time.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_KEY")
local n = 0
function setup(thread) thread:set("tag", math.random(1, 1e9)) end
function request()
  n = n + 1
  local who = (tag or 0) .. "-" .. n
  return wrk.format(nil, nil, nil, '{"title": "Website lead ' .. who .. '", "value": 1200.5, '
    .. '"person": {"name": "Lead ' .. who .. '", "contacts": [{"type": 1, "value": "lead' .. who .. '@bench.test"}]}}')
end
LUA

# wrk → "req/s p50 p99" (milliseconds); any non-2xx answer fails the run.
measure() {
  local conns="$1" script="$2" url="$3" threads=2
  [ "$conns" -lt 2 ] && threads=1
  wrk -t"$threads" -c"$conns" -d"$DURATION" --timeout 10s --latency -s "$script" "$url" | awk '
    function ms(v) { if (v ~ /us$/) return v/1000; if (v ~ /ms$/) return v+0; if (v ~ /s$/) return v*1000; return v }
    /^ +50%/ { p50 = ms($2) } /^ +99%/ { p99 = ms($2) } /^Requests\/sec/ { rps = $2 }
    /Non-2xx/ { bad = $NF } /Socket errors/ { err = $0 }
    END { if (bad || err) { print "wrk: non-2xx " bad " " err > "/dev/stderr"; exit 1 } printf "%.1f %.2f %.2f\n", rps, p50, p99 }'
}

# Whether the case named $1 runs: every case, or those BENCH_ONLY (a regex) matches.
wanted() { [ -z "${BENCH_ONLY:-}" ] || [[ "$1" =~ $BENCH_ONLY ]]; }

# One case: Dealflow and its baseline, one after the other, on the same data.
compare() {
  local prefix="$1" conns="$2" script="$3" app_url="$4" base_url="$5"
  wanted "$prefix" || return 0
  log "$prefix (c=$conns)"
  local a b
  a=$(measure "$conns" "$script" "$app_url")
  b=$(measure "$conns" "$script" "$base_url")
  read -r rps p50 p99 <<<"$a"
  record "$prefix.conns" "$conns"
  record "$prefix.rps" "$rps"; record "$prefix.p50" "$p50"; record "$prefix.p99" "$p99"
  read -r rps p50 p99 <<<"$b"
  record "$prefix.base.rps" "$rps"; record "$prefix.base.p50" "$p50"; record "$prefix.base.p99" "$p99"
}

rss_kb() { awk '/^VmRSS/ { print $2 }' "/proc/$1/status"; }
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

# The server's CPU over BENCH_IDLE_SECONDS (default 60) while nothing is written, with `boards`
# live boards open (their event streams) — records <prefix> in percent of one core.
idle_cpu() {
  wanted "$1" || return 0
  local prefix="$1" boards="$2" secs="${BENCH_IDLE_SECONDS:-60}" streams=() t0 t1 i
  log "$prefix: CPU idle with $boards open boards over ${secs}s"
  for i in $(seq 1 "$boards"); do
    curl -sN -H "Cookie: $BENCH_COOKIE" -H 'Accept: text/event-stream' "$app_base/events/board" \
      >/dev/null 2>&1 &
    streams+=("$!")
  done
  sleep 3
  t0=$(cpu_ticks "$app_pid")
  sleep "$secs"
  t1=$(cpu_ticks "$app_pid")
  for i in "${streams[@]}"; do kill "$i" 2>/dev/null || true; done
  for i in "${streams[@]}"; do wait "$i" 2>/dev/null || true; done
  record "$prefix" "$(awk -v a="$t0" -v b="$t1" -v hz="$(getconf CLK_TCK)" -v s="$secs" \
    'BEGIN { printf "%.2f", (b - a) * 100 / hz / s }')"
}

# 64 clients on the heaviest page (the board) while the server's RSS is sampled:
# records <prefix>.load64_mb (peak) and <prefix>.load64_rps; with a second argument, the bare
# board at 64 clients too (<prefix>.load64_base_rps).
load64() {
  wanted "$1" || return 0
  local prefix="$1" peak=0 r wrk_pid
  log "$prefix: 64 clients on the board"
  wrk -t2 -c64 -d"$DURATION" --timeout 10s -s "$work/get.lua" "$app_base/pipelines/$pipeline" >"$work/wrk64" &
  wrk_pid=$!
  while kill -0 "$wrk_pid" 2>/dev/null; do
    r=$(rss_kb "$app_pid"); [ "$r" -gt "$peak" ] && peak=$r
    sleep 0.2
  done
  wait "$wrk_pid"
  record "$prefix.load64_mb" "$((peak / 1024))"
  record "$prefix.load64_rps" "$(awk '/^Requests\/sec/ { print $2 }' "$work/wrk64")"
  # What two cores give the same query and cards by `format!` at 64 clients: the baseline.
  if [ -n "${2:-}" ]; then
    record "$prefix.load64_base_rps" \
      "$(wrk -t2 -c64 -d"$DURATION" --timeout 10s -s "$work/get.lua" "$bare_base/board/$pipeline" | awk '/^Requests\/sec/ { print $2 }')"
  fi
}

# Starts a program that prints its address (dealflow: "listening on http://…") or "ready".
start_app() {
  local url="$1" log_file="$work/app.log"
  # No rate limits: the load comes from one address, far above any person's pace.
  DEALFLOW_RATE_LIMITS=sign_in=0,intake=0,portal=0,api=0 LEPTOS_SITE_ROOT=target/site RUST_LOG=warn \
    "$app_bin" --database-url "$url" serve --addr 127.0.0.1:0 >"$log_file" 2>&1 &
  app_pid=$!
  pids+=("$app_pid")
  for _ in $(seq 1 300); do grep -q "listening on" "$log_file" && break; sleep 0.1; done
  app_base=$(grep -o 'http://[0-9.:]*' "$log_file" | head -1)
  [ -n "$app_base" ] || { cat "$log_file" >&2; exit 1; }
  for _ in $(seq 1 100); do curl -sf "$app_base/readyz" >/dev/null && return; sleep 0.1; done
}

start_bare() {
  local url="$1" account="$2" port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  "$bench_bin" bare "$url" "127.0.0.1:$port" "$account" >"$work/bare.log" 2>&1 &
  bare_pid=$!
  pids+=("$bare_pid")
  for _ in $(seq 1 300); do grep -q ready "$work/bare.log" && break; sleep 0.1; done
  grep -q ready "$work/bare.log" || { cat "$work/bare.log" >&2; exit 1; }
  bare_base="http://127.0.0.1:$port"
}

stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

# Signs in as the data set's owner; prints the Cookie header value.
sign_in() {
  local facts="$1" jar="$work/jar"
  rm -f "$jar"
  curl -s -o /dev/null -c "$jar" --data-urlencode "email=$(json "$facts" email)" \
    --data-urlencode "password=$(json "$facts" password)" "$app_base/rpc/login"
  # Every cookie the sign-in set (the session and the browser's choices), as one header.
  awk '(!/^#/ || /^#HttpOnly_/) && NF >= 7 { c = c (c == "" ? "" : "; ") $6 "=" $7 } END { print c }' "$jar"
}

database_url() {
  local db="$1" n="$2"
  if [ "$db" = sqlite ]; then
    echo "sqlite://$work/bench-$n.db"
  else
    local schema="bench_$n"
    psql "$PG_URL" -q -v ON_ERROR_STOP=1 -c "DROP SCHEMA IF EXISTS $schema CASCADE; CREATE SCHEMA $schema" \
      >/dev/null 2>&1 || return 1
    echo "$PG_URL$([[ $PG_URL == *\?* ]] && echo '&' || echo '?')options=-c%20search_path%3D$schema"
  fi
}

gz() { if [ -f "$1.gz" ]; then stat -c %s "$1.gz"; else gzip -9 -c "$1" | wc -c; fi; }

# The wasm a browser fetches to hydrate the board and a deal page (the main file, and the files
# of the islands the page shows): gzip size of those files, and the bytes on the wire.
downloads() {
  wanted downloads || return 0
  BENCH_HYDRATE_RUNS="${BENCH_HYDRATE_RUNS:-5}" \
    node end2end/bench-download.mjs "$app_base" "$BENCH_COOKIE" "$@" >"$work/downloads" || {
    log "could not load the pages in Chromium: download sizes skipped"
    return 0
  }
  local page path wire files total key
  # Time to interactive (cold cache, loopback), and the page without scripts as its baseline.
  awk '$1 == "tti" && $2 ~ /^\/pipelines\// { print "assets.board.tti_ms\t" $3; print "assets.board.tti_base_ms\t" $4 }
       $1 == "tti" && $2 ~ /^\/deals\// { print "assets.deal.tti_ms\t" $3; print "assets.deal.tti_base_ms\t" $4 }' \
    "$work/downloads" >>"$results"
  while read -r path wire _ files; do
    case "$path" in /pipelines/*) page=board ;; /deals/*) page=deal ;; *) continue ;; esac
    total=0
    for key in ${files//,/ }; do total=$((total + $(gz "target/site$key"))); done
    record "assets.$page.wasm_gz_kb" "$((total / 1024))"
    record "assets.$page.wasm_wire_kb" "$((wire / 1024))"
    record "assets.$page.wasm_files" "$(tr ',' '\n' <<<"$files" | grep -c .)"
  done <"$work/downloads"
}

# --- machine ----------------------------------------------------------------------------------
record machine.cpu "$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)"
record machine.cores "$(nproc)"
record machine.memory "$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)"
record machine.date "$(date -u +%Y-%m-%d)"
record machine.commit "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
record machine.duration "$DURATION"

for db in $DATABASES; do
  if [ "$db" = postgres ] && ! psql "$PG_URL" -qc 'SELECT 1' >/dev/null 2>&1; then
    log "PostgreSQL not reachable at $PG_URL: skipped"
    continue
  fi
  [ "$db" = postgres ] && record machine.postgres "$(psql "$PG_URL" -tAc 'SHOW server_version' | cut -d' ' -f1)"
  for n in $SIZES; do
    url=$(database_url "$db" "$n")
    log "$db: seeding $n deals"
    facts="$work/facts-$db-$n.json"
    seed_start=$(date +%s.%N)
    "$bench_bin" seed "$url" "$n" >"$facts"
    record "$db.$n.seed_seconds" "$(awk -v s="$seed_start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')"
    account=$(json "$facts" account_id)
    pipeline=$(json "$facts" board_pipeline)
    export BENCH_KEY BENCH_COOKIE BENCH_DEALS BENCH_STAGES
    BENCH_KEY=$(json "$facts" key)
    BENCH_DEALS=$(json "$facts" board_deals)
    BENCH_STAGES=$(json "$facts" board_stages)
    start_app "$url"
    start_bare "$url" "$account"
    BENCH_COOKIE=$(sign_in "$facts")
    [ -n "$BENCH_COOKIE" ] || { log "could not sign in"; exit 1; }
    sleep 1
    [ "$n" = 10000 ] && record "$db.memory.idle_mb" "$(( $(rss_kb "$app_pid") / 1024 ))"

    if [ "$n" -ge 2000 ]; then # the board has its 1,000 open deals
      compare "$db.$n.board" "$LATENCY_CONNS" "$work/get.lua" "$app_base/pipelines/$pipeline" "$bare_base/board/$pipeline"
      wanted "$db.$n.board" && record "$db.$n.board.html_kb" \
        "$(( $(curl -s -H "Cookie: $BENCH_COOKIE" "$app_base/pipelines/$pipeline" | wc -c) / 1024 ))"
      # The second pipeline's board: a third of the other deals are open in its 5 stages
      # (3,300 at 10k, 33,000 at 100k), each column showing its first cards.
      other=$(json "$facts" other_pipeline)
      compare "$db.$n.board_big" "$LATENCY_CONNS" "$work/get.lua" "$app_base/pipelines/$other" "$bare_base/board/$other"
      wanted "$db.$n.board_big" && record "$db.$n.board_big.html_kb" \
        "$(( $(curl -s -H "Cookie: $BENCH_COOKIE" "$app_base/pipelines/$other" | wc -c) / 1024 ))"
    fi
    compare "$db.$n.list" "$THROUGHPUT_CONNS" "$work/get.lua" "$app_base/v1/opportunities?per_page=100" "$bare_base/v1/opportunities"
    # A page in the middle of the list (page 500 of 100,000 deals).
    deep=$((n / 200))
    compare "$db.$n.list_deep" "$THROUGHPUT_CONNS" "$work/get.lua" \
      "$app_base/v1/opportunities?per_page=100&page=$deep" "$bare_base/v1/opportunities?page=$deep"
    # The same page from the cursor the page before it links to (`Link: <…>; rel="next"`);
    # baseline: the bare handler's first page.
    next=$(curl -s -D - -o /dev/null -H "Authorization: Bearer $BENCH_KEY" \
      "$app_base/v1/opportunities?per_page=100&page=$((deep - 1))" | tr -d '\r' | sed -n 's/^[Ll]ink: <\([^>]*\)>.*/\1/p')
    [ -n "$next" ] || { log "no next link on page $((deep - 1))"; exit 1; }
    compare "$db.$n.list_cursor" "$THROUGHPUT_CONNS" "$work/get.lua" "$app_base$next" "$bare_base/v1/opportunities"
    # The deal table (SSR, 50 a page): the first page and the middle one.
    compare "$db.$n.table" "$LATENCY_CONNS" "$work/get.lua" "$app_base/deals" "$bare_base/v1/opportunities"
    compare "$db.$n.table_deep" "$LATENCY_CONNS" "$work/get.lua" "$app_base/deals?page=$((n / 100))" \
      "$bare_base/v1/opportunities?page=$deep"
    # The same page from the "next" link of the page before it (a cursor).
    next=$(curl -s -H "Cookie: $BENCH_COOKIE" "$app_base/deals?page=$((n / 100 - 1))" \
      | grep -o 'href="/deals?after=[^"]*"' | head -1 | sed 's/^href="//; s/"$//')
    [ -n "$next" ] || { log "no next link on the table's page $((n / 100 - 1))"; exit 1; }
    compare "$db.$n.table_cursor" "$LATENCY_CONNS" "$work/get.lua" "$app_base$next" \
      "$bare_base/v1/opportunities?page=$deep"
    # The search: a name about one deal in a hundred has (its matches grow with the table), then
    # a name one deal has at every size; each with how many deals matched (`pagination.count`).
    for case in "search:customer 42" "search_one:deal 42 for"; do
      export BENCH_SEARCH_BODY="{\"query\": {\"name_cont\": \"${case#*:}\", \"status_eq\": \"open\"}}"
      compare "$db.$n.${case%%:*}" "$LATENCY_CONNS" "$work/search.lua" "$app_base/api/v1/accounts/$account/deals/search" "$bare_base/search"
      wanted "$db.$n.${case%%:*}" && record "$db.$n.${case%%:*}.count" "$(curl -s -X POST -H 'Content-Type: application/json' \
        -H "Authorization: Bearer $BENCH_KEY" -d "$BENCH_SEARCH_BODY" \
        "$app_base/api/v1/accounts/$account/deals/search" | python3 -c 'import json,sys; print(json.load(sys.stdin)["pagination"]["count"])')"
    done
    # The reports over a year of history (the primary pipeline), each with its plain aggregate.
    year_ago=$(date -u -d '-364 days' +%F)
    for report in forecast funnel velocity won-lost activity; do
      compare "$db.$n.report_$report" "$LATENCY_CONNS" "$work/get.lua" \
        "$app_base/v1/reports/$report?from=$year_ago" "$bare_base/reports/$report?from=$year_ago"
    done
    if [ "$n" = 10000 ] && [ "$db" = sqlite ]; then
      downloads "/pipelines/$pipeline" "/deals/${BENCH_DEALS%%,*}"
      # The live board's cost while nothing changes: 50 open boards, then none as the baseline.
      idle_cpu "$db.idle_cpu.boards50" 50
      idle_cpu "$db.idle_cpu.boards0" 0
    fi
    if [ "$n" = 10000 ]; then
      load64 "$db.memory" baseline
      sleep 2
      record "$db.memory.after_mb" "$(( $(rss_kb "$app_pid") / 1024 ))"
      # Writes last: they change the data the read cases above measured.
      compare "$db.$n.move" "$THROUGHPUT_CONNS" "$work/move.lua" "$app_base/rpc/move_deal" "$bare_base/move"
      compare "$db.$n.intake" "$THROUGHPUT_CONNS" "$work/intake.lua" "$app_base/integrations/external/deals" "$bare_base/intake"
      load64 "$db.memory.after_writes"
    fi
    stop "$app_pid"
    stop "$bare_pid"
  done

  if wanted "$db.import"; then
    log "$db: CSV import and export"
    target/release/examples/import_bench import "$(database_url "$db" import)" 10000 | sed "s/^/$db./" >>"$results"
    target/release/examples/import_bench import "$(database_url "$db" import100k)" 100000 \
      | sed -n "s/^import\./$db.import100k./p" | grep -v baseline >>"$results"
    target/release/examples/import_bench export "$(database_url "$db" export)" 100000 | sed "s/^/$db./" >>"$results"
  fi

  wanted "$db.automations" || continue
  log "$db: automation events per second"
  url=$(database_url "$db" automations)
  target/release/examples/automation_bench "$url" 5000 >"$work/auto.md"
  awk -F'|' -v db="$db" '
    /Queue floor/ { gsub(/ /, "", $3); print db ".automations.floor\t" $3 }
    /Dealflow:/ { gsub(/ /, "", $3); print db ".automations.rate\t" $3 }
    /In memory/ { gsub(/ /, "", $3); print db ".automations.memory\t" $3 }' "$work/auto.md" >>"$results"
done

# --- what the browser downloads -----------------------------------------------------------------
wasm=$(ls target/site/pkg/dealflow.wasm 2>/dev/null | head -1 || true)
css=$(ls target/site/pkg/*.css 2>/dev/null | head -1 || true)
if [ -n "$wasm" ]; then
  record assets.wasm_kb "$(( $(stat -c %s "$wasm") / 1024 ))"
  record assets.wasm_gz_kb "$(( $(gz "$wasm") / 1024 ))"
  record assets.js_gz_kb "$(( $(gz target/site/pkg/dealflow.js) / 1024 ))"
  total=0 files=0
  for f in target/site/pkg/*.wasm; do total=$((total + $(gz "$f"))); files=$((files + 1)); done
  record assets.all_wasm_gz_kb "$((total / 1024))"
  record assets.all_wasm_files "$files"
fi
[ -n "$css" ] && record assets.css_gz_kb "$(( $(gz "$css") / 1024 ))"
[ -n "$wasm" ] || log "target/site has no wasm bundle (make site builds it): sizes skipped"

# A run of some cases only compares: it would replace the recorded run with a part of one.
[ -n "${BENCH_ONLY:-}" ] && BENCH_WRITE=0
python3 scripts/bench-report.py "$results" BENCHMARKS.md "${BENCH_WRITE:-1}"
