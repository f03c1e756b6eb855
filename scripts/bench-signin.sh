#!/usr/bin/env bash
# Sign-in under attack, measured (figures, not pass/fail checks):
#   1. /healthz p50 with nothing else going on (the baseline), then while 24 clients post
#      sign-ins with random unknown e-mails (argon2 runs off the async threads, so liveness
#      should barely move); the ratio of the two.
#   2. 64 parallel sign-ins on one e-mail from one address (63 wrong, 1 right): how many were
#      evaluated (answered other than 429) before the lockout.
#
#   scripts/bench-signin.sh [path/to/dealflow]   # default: the release build, else the debug one
set -euo pipefail
cd "$(dirname "$0")/.."
log() { printf '\033[1;34m[bench-signin]\033[0m %s\n' "$*" >&2; }
sudo_cmd() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
command -v wrk >/dev/null || {
  log "apt-get install wrk"
  sudo_cmd env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
}
bin="${1:-}"
[ -n "$bin" ] || { [ -x target/release/dealflow ] && bin=target/release/dealflow || bin=target/debug/dealflow; }
work="$(mktemp -d)"
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
url="sqlite://$work/signin.db"
"$bin" --database-url "$url" demo >/dev/null

serve() { # $1: DEALFLOW_RATE_LIMITS
  [ -n "$pid" ] && { kill "$pid"; wait "$pid" 2>/dev/null || true; }
  DEALFLOW_RATE_LIMITS="$1" LEPTOS_SITE_ROOT="$work" RUST_LOG=warn \
    "$bin" --database-url "$url" serve --addr 127.0.0.1:0 >"$work/app.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 300); do grep -q "listening on" "$work/app.log" && break; sleep 0.1; done
  base=$(grep -o 'http://[0-9.:]*' "$work/app.log" | head -1)
}

p50() { # wrk output → p50 in ms
  awk 'function ms(v) { if (v ~ /us$/) return v/1000; if (v ~ /ms$/) return v+0; if (v ~ /s$/) return v*1000; return v }
       /^ +50%/ { printf "%.2f", ms($2) }'
}

cat >"$work/signin.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Accept"] = "application/json"
math.randomseed(os.time())
request = function()
  local who = math.random(1, 1000000000)
  return wrk.format(nil, nil, nil, "email=nobody" .. who .. "%40example.test&password=guess-" .. who)
end
LUA

serve "sign_in=0"
log "healthz alone ($base)"
idle=$(wrk -t1 -c1 -d5s --latency "$base/healthz" | p50)
log "healthz while 24 clients sign in with unknown e-mails"
wrk -t2 -c24 -d12s --latency -s "$work/signin.lua" "$base/rpc/login" >"$work/signins" &
load_pid=$!
sleep 3
busy=$(wrk -t1 -c1 -d5s --latency "$base/healthz" | p50)
wait "$load_pid"
signins=$(awk '/^Requests\/sec/ { print $2 }' "$work/signins")

serve ""
log "64 parallel sign-ins on one e-mail (63 wrong, 1 right)"
seq 1 64 | xargs -P 64 -I{} sh -c '
  if [ {} = 40 ]; then p=dealflow-demo; else p=wrong-{}; fi
  curl -s -o /dev/null -w "%{http_code}\n" -H "accept: application/json" \
    --data-urlencode "email=owner@demo.test" --data-urlencode "password=$p" "$0/rpc/login"
' "$base" >"$work/codes"
evaluated=$(grep -vc '^429$' "$work/codes" || true)
refused=$(grep -c '^429$' "$work/codes" || true)

printf '\n%-58s %10s\n' "healthz p50 alone (baseline), ms" "$idle"
printf '%-58s %10s\n' "healthz p50 under 24 unknown-e-mail sign-in clients, ms" "$busy"
printf '%-58s %10s\n' "ratio" "$(python3 -c "print(f'{$busy/$idle:.2f}x')")"
printf '%-58s %10s\n' "sign-ins answered per second meanwhile" "$signins"
printf '%-58s %10s\n' "of 64 parallel sign-ins on one e-mail: evaluated" "$evaluated"
printf '%-58s %10s\n' "of 64 parallel sign-ins on one e-mail: refused (429)" "$refused"
