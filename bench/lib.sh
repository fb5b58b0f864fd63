# Shared by the bench/*.sh scripts: sourced, not run. Each function holds one step the scripts
# used to repeat (tools, ports, temp dirs, cleanup, nginx, Faultline, wrk, the report's parsing),
# so that a fix to one of them (say, the cleanup) reaches every benchmark.
# Expects the caller's `set -euo pipefail` and its KEEP, JAVA_OPTS, HEALTH_TIMEOUT, THREADS and
# CONNECTIONS knobs.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
JAR="$ROOT/dist/faultline.jar"
LOG_TAG=bench   # prefix of log/die lines; a script may set its own after sourcing this file

log() { printf '[%s] %s\n' "$LOG_TAG" "$*" >&2; }
die() { printf '[%s] ERROR: %s\n' "$LOG_TAG" "$*" >&2; exit 1; }

# The request every benchmark sends: a small chat completion, the same in all of them.
REQUEST_JSON='{"model":"gpt-4o-mini","messages":[{"role":"system","content":"You are a helpful assistant."},{"role":"user","content":"Say hello to the benchmark."}],"temperature":0}'

# nginx, wrk and curl are installed with apt-get when missing, so that a fresh VM can run a
# benchmark in one go; python3 and java are the project's own prerequisites, so only checked.
# Sets NGINX (Debian installs it in /usr/sbin, often not on a non-root PATH).
require_tools() {
  local missing=()
  command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
  command -v wrk   >/dev/null 2>&1 || missing+=(wrk)
  command -v curl  >/dev/null 2>&1 || missing+=(curl)
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing with apt-get: ${missing[*]}"
    local SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
  NGINX=$(command -v nginx || echo /usr/sbin/nginx)
  command -v python3 >/dev/null || die "python3 is required"
  command -v java >/dev/null || die "java (17+) is required"
}

# Makes WORK (configs, logs, Faultline data: removed on exit unless KEEP=1) and, when $2 names
# one, RESULTS (raw wrk outputs: kept, so that a surprising number can be looked at afterwards).
# Then arms the traps, so that however the script ends (error, Ctrl-C, normal end) no nginx, JVM
# or wrk it started is left running. $1 / $2 = name prefixes of the temp dirs.
setup_work_dirs() {
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")
  RESULTS=""
  [ -z "${2:-}" ] || RESULTS=$(mktemp -d "${TMPDIR:-/tmp}/$2.XXXXXX")
  PIDS=()   # every background process to stop on exit
  trap cleanup EXIT
  trap 'log "interrupted"; exit 130' INT TERM
}

# The EXIT trap: TERM every started process, KILL what is still there after 5 s, reap them; then
# the script's own save_logs (if it defines one) copies logs it wants kept into RESULTS.
# Exits with the script's status.
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  if declare -F save_logs >/dev/null; then save_logs || true; fi
  if [ "$KEEP" = 1 ]; then log "work dir kept: $WORK"; else rm -rf "$WORK"; fi
  [ -z "${RESULTS:-}" ] || log "raw wrk outputs and logs: $RESULTS"
  exit "$rc"
}

# Prints $1 distinct free loopback ports. They are held open together while picked, so that two
# of them cannot be the same port.
free_ports() {
  python3 - "$1" <<'EOF'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
EOF
}

# Writes the wrk Lua script to $1: POST $REQUEST_JSON, and at the end one machine-readable BENCH
# line (see parse() below) instead of scraping wrk's human output. No per-request Lua, so wrk
# itself costs as little as possible.
write_wrk_lua() {  # $1 file, $2 request body (default REQUEST_JSON)
  cat >"$1" <<EOF
wrk.method = "POST"
wrk.body   = '${2:-$REQUEST_JSON}'
wrk.headers["Content-Type"]  = "application/json"
wrk.headers["Authorization"] = "Bearer sk-bench"

-- one machine-readable line at the end (no per-request Lua, so no overhead)
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d p50_us=%d p99_us=%d non2xx=%d connect=%d read=%d write=%d timeout=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.status, e.connect, e.read, e.write, e.timeout))
end
EOF
}

# Writes $1/nginx.conf: an nginx of our own (foreground, own pid, logs and temp paths in $1, so it
# needs no system nginx setup), $2 worker processes, with the server/upstream blocks $3.
# Checks it with nginx -t, so a bad config fails here and not as a connection error later.
write_nginx_conf() {
  local dir=$1 workers=$2
  mkdir -p "$dir"
  {
    # as root the workers would drop to "nobody", which cannot use our 0700 temp dir
    if [ "$(id -u)" -eq 0 ]; then echo "user root;"; fi
    cat <<EOF
daemon off;
worker_processes $workers;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  keepalive_timeout 75s;
  client_body_temp_path $dir/client_body;
  proxy_temp_path       $dir/proxy;
  fastcgi_temp_path     $dir/fastcgi;
  uwsgi_temp_path       $dir/uwsgi;
  scgi_temp_path        $dir/scgi;
$3
}
EOF
  } >"$dir/nginx.conf"
  "$NGINX" -t -q -p "$dir" -e "$dir/error.log" -c "$dir/nginx.conf" || die "bad nginx config $dir/nginx.conf"
}

# Prints the server block of the origin: nginx answering POST /v1/chat/completions on port $1
# with the fixed completion $2, i.e. an upstream with no model latency at all. $2 must hold no
# single quote and no '$' (it is an nginx string).
origin_server() {
  cat <<EOF
  server {
    listen 127.0.0.1:$1;
    default_type application/json;
    location = /v1/chat/completions { return 200 '$2'; }
    location / { return 404 '{"error":{"message":"bench origin: unknown path","type":"invalid_request_error"}}'; }
  }
EOF
}

# Runs the nginx configured in dir $1 as a child of the script (daemon off), so cleanup stops it.
start_nginx() {
  "$NGINX" -p "$1" -e "$1/error.log" -c "$1/nginx.conf" &
  PIDS+=($!)
}

# Copies dist/ (jar, plugins, config) into WORK: a rebuild during the run rewrites
# dist/faultline.jar in place, and a JVM whose jar changes under it fails on the next class load.
snapshot_dist() {
  cp -r "$ROOT/dist" "$WORK/dist"
}

# Starts Faultline from the snapshot (see snapshot_dist) with its admin API on port $1, its data
# in $2 (default WORK/data) and no demo, and waits until /healthz answers 200 (the JVM takes
# seconds to start). Sets FL_PID (to check it is still alive after a run), FL_ADMIN (the admin
# API's base URL) and FL_AUTH (the Authorization header of the bench's admin, made at first start
# with a fresh token; a restart on the same data dir keeps FL_TOKEN, so the same admin signs in).
start_faultline() {
  launch_faultline "$@"
  wait_faultline_healthy
}

# The first half of start_faultline: launches the JVM and returns at once (bench/run times a
# restart from here). Its output goes to WORK/faultline.log (appended: a restart adds to it).
launch_faultline() {
  local data=${2:-$WORK/data}
  FL_ADMIN="http://127.0.0.1:$1"
  FL_TOKEN=${FL_TOKEN:-"flt_bench$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')"}
  FL_AUTH="Authorization: Bearer $FL_TOKEN"
  mkdir -p "$data"
  log "starting Faultline (snapshot of $ROOT/dist, admin port $1, data $data)"
  # Through the launcher users run (its heap and JVM flags; JAVA_OPTS comes after them and wins),
  # which execs java, so FL_PID is the JVM's.
  ( cd "$WORK" && FAULTLINE_ADMIN_PORT=$1 FAULTLINE_DATA_DIR="$data" FAULTLINE_DEMO_PORT=off \
      FAULTLINE_ADMIN_EMAIL=bench@faultline.local FAULTLINE_ADMIN_PASSWORD="$FL_TOKEN" FAULTLINE_ADMIN_TOKEN="$FL_TOKEN" \
      JAVA_OPTS="$JAVA_OPTS" exec sh dist/bin/faultline ) >>"$WORK/faultline.log" 2>&1 &
  FL_PID=$!
  PIDS+=("$FL_PID")
}

# The second half: waits (polling every 50 ms) until /healthz answers 200; stops the script if
# the JVM exits first or HEALTH_TIMEOUT passes.
wait_faultline_healthy() {
  local deadline=$((SECONDS + HEALTH_TIMEOUT))
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "$FL_ADMIN/healthz" 2>/dev/null)" = 200 ]; do
    if ! kill -0 "$FL_PID" 2>/dev/null; then
      tail -n 30 "$WORK/faultline.log" >&2; die "Faultline exited before /healthz answered"
    fi
    [ $SECONDS -lt $deadline ] || { tail -n 30 "$WORK/faultline.log" >&2; die "Faultline /healthz not 200 after ${HEALTH_TIMEOUT}s"; }
    sleep 0.05
  done
}

# Stops the Faultline started last (TERM, then KILL after 30 s), waits for it to exit and takes
# its PID out of PIDS, so that the exit trap never signals a PID the system may have reused.
stop_faultline() {
  local pid=$FL_PID keep=()
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  for p in "${PIDS[@]}"; do [ "$p" = "$pid" ] || keep+=("$p"); done
  PIDS=("${keep[@]}")
}

# Creates a proxy through Faultline's admin API from the JSON $1 and prints the API's answer
# (it holds the proxy's id). Fails unless the proxy came up running, i.e. listens already.
create_proxy() {
  local out
  out=$(curl -s -X POST "$FL_ADMIN/api/proxies" -H "$FL_AUTH" -H 'Content-Type: application/json' -d "$1")
  grep -q '"status" *: *"running"' <<<"$out" || die "creating the Faultline proxy failed: $out"
  printf '%s\n' "$out"
}

# POSTs $REQUEST_JSON to the URL $1 until it answers 200, at most 50 times 0.2 s apart (a
# just-started nginx may not listen yet). The remaining arguments go to curl and must include
# -o FILE (the body must not mix with the status). Prints the last HTTP status; fails if not 200.
post_until_200() {
  local url=$1 code=""
  shift
  for _ in $(seq 50); do
    code=$(curl -s "$@" -w '%{http_code}' -X POST "$url" \
      -H 'Content-Type: application/json' -H 'Authorization: Bearer sk-bench' -d "$REQUEST_JSON" || true)
    [ "$code" = 200 ] && break
    sleep 0.2
  done
  printf '%s\n' "$code"
  [ "$code" = 200 ]
}

# One wrk load of $3 seconds against the URL $2 with the Lua script $1 (-t$THREADS -c$CONNECTIONS,
# --latency), its output into file $4. On failure shows that output and stops, naming target $5.
run_wrk() {
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$3s" --latency -s "$1" "$2" >"$4" 2>&1 \
    || { cat "$4" >&2; die "wrk failed against $5"; }
}

# Logs round $1's req/s for target $2 from wrk output $3: progress while the rounds run.
log_round() {
  log "round $1 $2: $(grep -E 'Requests/sec' "$3" | tr -s ' ')"
}

# Python the reports start with (see wrk_python): reading the BENCH lines of the wrk outputs, and
# the table of medians every report prints, so the numbers are computed the same way everywhere.
IFS= read -r -d '' WRK_PY <<'EOF' || true
import json, re, sys, statistics as st
med = st.median

def parse(path):
    """The BENCH line of one wrk output, plus req/s and the sum of all errors."""
    line = next(l for l in open(path) if l.startswith("BENCH "))
    d = {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", line)}
    d["rps"] = d["requests"] / (d["duration_us"] / 1e6)
    d["errors"] = d["non2xx"] + d["connect"] + d["read"] + d["write"] + d["timeout"]
    return d

def load_rounds(results, rounds, targets):
    """{target: [parsed round 1, round 2, ...]} from results/round<r>-<target>.txt."""
    return {t: [parse(f"{results}/round{r}-{t}.txt") for r in range(1, rounds + 1)] for t in targets}

def table(runs, labels, width, first="target"):
    """Per target: median req/s, p50 and p99 over the rounds, total errors, each round's req/s."""
    print(f"{first:<{width}}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}   per-round req/s")
    for t, rs in runs.items():
        print(f"{labels[t]:<{width}}{med([x['rps'] for x in rs]):>10.0f}"
              f"{med([x['p50_us'] for x in rs]) / 1000:>9.3f}{med([x['p99_us'] for x in rs]) / 1000:>9.3f}"
              f"{sum(x['errors'] for x in rs):>8}   " + " ".join(f"{x['rps']:.0f}" for x in rs))
EOF

# Runs the Python report read from stdin after WRK_PY, with arguments "$@" (sys.argv[1:]).
# Its exit status is the report's.
wrk_python() {
  { printf '%s\n' "$WRK_PY"; cat; } | python3 - "$@"
}
