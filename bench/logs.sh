#!/usr/bin/env bash
# The log pipeline's cost, in one run:
#   1. the log writer's sustained rows/s into SQLite (a Java main, LogWriterBench, publishing
#      real-shaped entries on the event bus as fast as the writer's queue takes them);
#   2. proxy throughput with logging on versus off: two Faultline proxies (provider "openai")
#      in front of the same nginx origin, one with the default logging block, one with
#      {"logging": {"enabled": false}}, measured with wrk in alternating rounds.
# Targets: writer >= 20,000 rows/s; logging costs < 10% of proxy throughput (on/off >= 0.90).
set -euo pipefail

ROUNDS=${ROUNDS:-5}              # alternating on/off rounds
DURATION=${DURATION:-5}          # seconds per wrk run
WARMUP=${WARMUP:-8}              # seconds of un-recorded warm-up per proxy
CONNECTIONS=${CONNECTIONS:-16}   # wrk -c
THREADS=${THREADS:-2}            # wrk -t
WRITER_ROWS=${WRITER_ROWS:-300000}   # rows per writer round
WRITER_ROUNDS=${WRITER_ROUNDS:-3}    # writer rounds (the first one warms the JIT up)
JAVA_OPTS=${JAVA_OPTS:-}         # extra JVM flags for both Java processes
HEALTH_TIMEOUT=${HEALTH_TIMEOUT:-90}
KEEP=${KEEP:-0}                  # 1 = keep the work dir

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
JAR="$ROOT/dist/faultline.jar"
BENCH_CLASS="$ROOT/platform/target/test-classes/dev/faultline/logs/LogWriterBench.class"

log() { printf '[logs-bench] %s\n' "$*" >&2; }
die() { printf '[logs-bench] ERROR: %s\n' "$*" >&2; exit 1; }

missing=()
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
command -v curl >/dev/null 2>&1 || missing+=(curl)
if [ ${#missing[@]} -gt 0 ]; then
  log "installing with apt-get: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
command -v python3 >/dev/null || die "python3 is required"
command -v java >/dev/null || die "java (17+) is required"

if [ ! -f "$JAR" ] || [ ! -f "$BENCH_CLASS" ]; then
  log "building (mvn -B -q install -DskipTests: the jar, and the test classes holding LogWriterBench)"
  (cd "$ROOT" && mvn -B -q install -DskipTests) || die "maven build failed"
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/faultline-logs-bench.XXXXXX")
PIDS=()
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  if [ "$KEEP" = 1 ]; then log "work dir kept: $WORK"; else rm -rf "$WORK"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM

# A snapshot of what runs: a rebuild by someone else must not change classes under a running JVM.
cp -r "$ROOT/dist" "$WORK/dist"
cp -r "$ROOT/platform/target/test-classes" "$WORK/test-classes"

# ------------------------------------------------------------------ 1. the writer
log "writer: $WRITER_ROUNDS rounds of $WRITER_ROWS rows into a fresh SQLite file each"
java $JAVA_OPTS -cp "$WORK/dist/faultline.jar:$WORK/test-classes" dev.faultline.logs.LogWriterBench \
  "$WRITER_ROWS" "$WRITER_ROUNDS" 2>"$WORK/writer.log" | tee "$WORK/writer.txt" >&2 \
  || { tail -n 30 "$WORK/writer.log" >&2; die "the writer benchmark failed"; }

# ------------------------------------------------------------------ 2. proxies, logging on and off
read -r PORT_ORIGIN PORT_ADMIN PORT_ON PORT_OFF < <(python3 - <<'EOF'
import socket
socks = []
for _ in range(4):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
EOF
)

RESPONSE_JSON='{"id":"chatcmpl-BenchFixedResponse0000000001","object":"chat.completion","created":1732600000,"model":"gpt-4o-mini-2024-07-18","system_fingerprint":"fp_bench00001","choices":[{"index":0,"message":{"role":"assistant","content":"Hello from the Faultline log benchmark. This is a fixed chat completion served by nginx, so that only the proxy and its logging are measured.","refusal":null},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":28,"completion_tokens":31,"total_tokens":59,"prompt_tokens_details":{"cached_tokens":0},"completion_tokens_details":{"reasoning_tokens":0}}}'
REQUEST_JSON='{"model":"gpt-4o-mini","messages":[{"role":"system","content":"You are a helpful assistant."},{"role":"user","content":"Say hello to the benchmark."}],"temperature":0}'

mkdir -p "$WORK/nginx"
{
  [ "$(id -u)" -eq 0 ] && echo "user root;"
  cat <<EOF
daemon off;
worker_processes 1;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  client_body_temp_path $WORK/nginx/body;
  proxy_temp_path $WORK/nginx/proxy;
  fastcgi_temp_path $WORK/nginx/fastcgi;
  uwsgi_temp_path $WORK/nginx/uwsgi;
  scgi_temp_path $WORK/nginx/scgi;
  server {
    listen 127.0.0.1:$PORT_ORIGIN;
    default_type application/json;
    location = /v1/chat/completions { return 200 '$RESPONSE_JSON'; }
  }
}
EOF
} >"$WORK/nginx/nginx.conf"
"$NGINX" -p "$WORK/nginx" -e "$WORK/nginx/error.log" -c "$WORK/nginx/nginx.conf" &
PIDS+=($!)

mkdir -p "$WORK/data"
log "starting Faultline (admin port $PORT_ADMIN)"
( cd "$WORK" && FAULTLINE_ADMIN_PORT=$PORT_ADMIN FAULTLINE_DATA_DIR="$WORK/data" FAULTLINE_DEMO_PORT=off \
    exec java $JAVA_OPTS -jar dist/faultline.jar ) >"$WORK/faultline.log" 2>&1 &
FL_PID=$!
PIDS+=($FL_PID)
deadline=$((SECONDS + HEALTH_TIMEOUT))
until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT_ADMIN/healthz" 2>/dev/null)" = 200 ]; do
  kill -0 "$FL_PID" 2>/dev/null || { tail -n 30 "$WORK/faultline.log" >&2; die "Faultline exited"; }
  [ $SECONDS -lt $deadline ] || die "Faultline /healthz not 200 after ${HEALTH_TIMEOUT}s"
  sleep 0.3
done

create() {  # $1 name, $2 port, $3 logging block
  local out
  out=$(curl -s -X POST "http://127.0.0.1:$PORT_ADMIN/api/proxies" -H 'Content-Type: application/json' \
    -d "{\"name\":\"$1\",\"provider\":\"openai\",\"upstream\":\"http://127.0.0.1:$PORT_ORIGIN\",\"port\":$2,\"logging\":$3}")
  grep -q '"status" *: *"running"' <<<"$out" || die "creating proxy $1 failed: $out"
}
create logged "$PORT_ON" '{"enabled":true}'
create quiet "$PORT_OFF" '{"enabled":false}'

cat >"$WORK/post.lua" <<EOF
wrk.method = "POST"
wrk.body   = '$REQUEST_JSON'
wrk.headers["Content-Type"]  = "application/json"
wrk.headers["Authorization"] = "Bearer sk-bench"
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH requests=%d duration_us=%d p50_us=%d p99_us=%d errors=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.status + e.connect + e.read + e.write + e.timeout))
end
EOF
declare -A PORT=([on]=$PORT_ON [off]=$PORT_OFF)
run_wrk() {  # $1 on|off, $2 seconds, $3 output
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$2s" --latency -s "$WORK/post.lua" \
    "http://127.0.0.1:${PORT[$1]}/v1/chat/completions" >"$3" 2>&1 || { cat "$3" >&2; die "wrk failed"; }
}
for t in on off; do
  code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:${PORT[$t]}/v1/chat/completions" \
    -H 'Content-Type: application/json' -H 'Authorization: Bearer sk-bench' -d "$REQUEST_JSON")
  [ "$code" = 200 ] || die "proxy (logging $t) answered HTTP $code"
  log "warm-up ${WARMUP}s, logging $t"
  run_wrk "$t" "$WARMUP" "$WORK/warmup-$t.txt"
done

log "$ROUNDS rounds, ${DURATION}s each, -c$CONNECTIONS -t$THREADS, order alternating"
for r in $(seq "$ROUNDS"); do
  if [ $((r % 2)) -eq 1 ]; then order="on off"; else order="off on"; fi
  for t in $order; do
    run_wrk "$t" "$DURATION" "$WORK/round$r-$t.txt"
    log "round $r logging $t: $(grep -E 'Requests/sec' "$WORK/round$r-$t.txt" | tr -s ' ')"
  done
done
sleep 1  # let the writer catch up before reading its counts
curl -s "http://127.0.0.1:$PORT_ADMIN/healthz" >"$WORK/health.json"

echo
python3 - "$WORK" "$ROUNDS" "$CONNECTIONS" "$THREADS" "$DURATION" <<'EOF'
import json, re, statistics as st, sys
work, rounds, conns, threads, dur = sys.argv[1], int(sys.argv[2]), *sys.argv[3:]

writer = [dict(re.findall(r"(\w+)=([\d.]+)", l)) for l in open(f"{work}/writer.txt") if l.startswith("WRITER")]
rates = [float(w["rows_per_s"]) for w in writer]
sustained = st.median(rates[1:]) if len(rates) > 1 else rates[0]
lost = sum(int(w["dropped"]) + int(w["failed"]) for w in writer)
print("Log writer into SQLite (rows/s per round; the first round warms the JIT up):")
print("  " + "  ".join(f"{r:.0f}" for r in rates) + f"   -> sustained (median after round 1): {sustained:.0f} rows/s"
      f"  target >= 20000  [{'OK' if sustained >= 20000 and not lost else 'MISS'}]" + (f"  LOST {lost}" if lost else ""))

def parse(path):
    d = {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", next(l for l in open(path) if l.startswith("BENCH ")))}
    d["rps"] = d["requests"] / (d["duration_us"] / 1e6)
    return d
runs = {t: [parse(f"{work}/round{r}-{t}.txt") for r in range(1, rounds + 1)] for t in ("on", "off")}
print()
print(f"Proxy throughput, wrk -t{threads} -c{conns}, {rounds} rounds x {dur}s, medians over rounds")
print(f"{'logging':<10}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}   per-round req/s")
for t in ("on", "off"):
    rs = runs[t]
    print(f"{t:<10}{st.median([x['rps'] for x in rs]):>10.0f}{st.median([x['p50_us'] for x in rs]) / 1000:>9.3f}"
          f"{st.median([x['p99_us'] for x in rs]) / 1000:>9.3f}{sum(x['errors'] for x in rs):>8}   "
          + " ".join(f"{x['rps']:.0f}" for x in rs))
ratio = st.median([a["rps"] / b["rps"] for a, b in zip(runs["on"], runs["off"])])
broken = any(x["errors"] for rs in runs.values() for x in rs)
print(f"on / off (median of per-round ratios): {ratio:.3f}  -> logging costs {(1 - ratio) * 100:.1f}%"
      f"  target < 10%  [{'INVALID, errors' if broken else 'OK' if ratio >= 0.9 else 'MISS'}]")
logs = json.load(open(f"{work}/health.json")).get("logs", {})
print(f"log pipeline after the run: {json.dumps(logs)}")
sys.exit(1 if broken else 0)
EOF
