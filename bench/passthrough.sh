#!/usr/bin/env bash
# Loopback HTTP pass-through benchmark:
#   (a) nginx returning a fixed OpenAI chat completion      -> raw origin speed
#   (b) nginx reverse proxy (keepalive upstream) in front of (a) -> practical proxy ceiling
#   (c) a Faultline proxy (provider "openai") in front of (a)
# Measured with wrk in alternating rounds a -> b -> c. See bench/README.md.
set -euo pipefail

ROUNDS=${ROUNDS:-5}              # alternating a->b->c rounds
DURATION=${DURATION:-5}          # seconds per wrk run
WARMUP=${WARMUP:-3}              # seconds of un-recorded warm-up of each nginx target (before round 1)
JVM_WARMUP=${JVM_WARMUP:-15}     # seconds of un-recorded warm-up of Faultline (JIT) before round 1
CONNECTIONS=${CONNECTIONS:-16}   # wrk -c
THREADS=${THREADS:-2}            # wrk -t
NGINX_WORKERS=${NGINX_WORKERS:-auto}  # worker_processes of each nginx (auto = one per core)
JAVA_OPTS=${JAVA_OPTS:-}         # extra JVM flags for Faultline
KEEP=${KEEP:-0}                  # 1 = keep the work dir (configs, logs, Faultline data)
# Extra fields for the Faultline proxy, e.g. PROXY_EXTRA='"logging":{"enabled":false}' to measure
# the bare relay without the per-request log entry.
PROXY_EXTRA=${PROXY_EXTRA:-}
HEALTH_TIMEOUT=${HEALTH_TIMEOUT:-90}  # seconds to wait for Faultline /healthz
TARGETS=${TARGETS:-"a b c"}      # subset to run, e.g. TARGETS="a b" (nginx only, no Faultline)

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
JAR="$ROOT/dist/faultline.jar"

log() { printf '[bench] %s\n' "$*" >&2; }
die() { printf '[bench] ERROR: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------- prerequisites
missing=()
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
command -v wrk   >/dev/null 2>&1 || missing+=(wrk)
command -v curl  >/dev/null 2>&1 || missing+=(curl)
if [ ${#missing[@]} -gt 0 ]; then
  log "installing with apt-get: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
command -v python3 >/dev/null || die "python3 is required"
command -v java >/dev/null || die "java (17+) is required"

read -r -a TARGETS <<<"$TARGETS"
for t in "${TARGETS[@]}"; do [[ $t =~ ^[abc]$ ]] || die "TARGETS may only contain a, b, c"; done
want() { [[ " ${TARGETS[*]} " == *" $1 "* ]]; }

if want c && [ ! -f "$JAR" ]; then
  log "dist/faultline.jar missing: building (mvn -B -q package -DskipTests)"
  (cd "$ROOT" && mvn -B -q package -DskipTests) || die "maven build failed"
  [ -f "$JAR" ] || die "build finished but $JAR is still missing"
fi

# ---------------------------------------------------------------- work dirs + cleanup
WORK=$(mktemp -d "${TMPDIR:-/tmp}/faultline-bench.XXXXXX")       # configs, logs, data
RESULTS=$(mktemp -d "${TMPDIR:-/tmp}/faultline-bench-raw.XXXXXX") # raw wrk outputs (kept)
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
  # keep the logs next to the raw wrk outputs (only the ends of a huge Faultline log)
  for name in origin proxy; do
    [ -f "$WORK/nginx-$name/error.log" ] && cp "$WORK/nginx-$name/error.log" "$RESULTS/nginx-$name-error.log"
  done
  if [ -f "$WORK/faultline.log" ]; then
    if [ "$(wc -l <"$WORK/faultline.log")" -le 2000 ]; then cp "$WORK/faultline.log" "$RESULTS/faultline.log"
    else { head -n 1000 "$WORK/faultline.log"; echo "[... cut by passthrough.sh ...]"; tail -n 1000 "$WORK/faultline.log"; } >"$RESULTS/faultline.log"
    fi
  fi
  if [ "$KEEP" = 1 ]; then log "work dir kept: $WORK"; else rm -rf "$WORK"; fi
  log "raw wrk outputs and logs: $RESULTS"
  exit "$rc"
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM

# five distinct free loopback ports, held open together so they cannot collide
read -r PORT_A PORT_B PORT_C PORT_ADMIN _ < <(python3 - <<'EOF'
import socket
socks = []
for _ in range(5):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
EOF
)

# ---------------------------------------------------------------- payloads
# ~600-byte OpenAI-shaped response served by nginx (a). No single quotes / '$' (nginx string).
RESPONSE_JSON='{"id":"chatcmpl-BenchFixedResponse0000000001","object":"chat.completion","created":1732600000,"model":"gpt-4o-mini-2024-07-18","system_fingerprint":"fp_bench00001","choices":[{"index":0,"message":{"role":"assistant","content":"Hello from the Faultline pass-through benchmark. This is a fixed chat completion served by nginx, so that only the HTTP proxy hop is measured and no model latency is involved at all.","refusal":null},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":28,"completion_tokens":39,"total_tokens":67,"prompt_tokens_details":{"cached_tokens":0},"completion_tokens_details":{"reasoning_tokens":0}}}'
REQUEST_JSON='{"model":"gpt-4o-mini","messages":[{"role":"system","content":"You are a helpful assistant."},{"role":"user","content":"Say hello to the benchmark."}],"temperature":0}'

cat >"$WORK/post.lua" <<EOF
wrk.method = "POST"
wrk.body   = '$REQUEST_JSON'
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

# ---------------------------------------------------------------- nginx (a) and (b)
nginx_conf() {  # $1 = dir, $2 = server block(s) + upstreams
  local dir=$1
  mkdir -p "$dir"
  {
    # as root the workers would drop to "nobody", which cannot use our 0700 temp dir
    [ "$(id -u)" -eq 0 ] && echo "user root;"
    cat <<EOF
daemon off;
worker_processes $NGINX_WORKERS;
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
$2
}
EOF
  } >"$dir/nginx.conf"
  "$NGINX" -t -q -p "$dir" -e "$dir/error.log" -c "$dir/nginx.conf" || die "bad nginx config $dir/nginx.conf"
}

nginx_conf "$WORK/nginx-origin" "
  server {
    listen 127.0.0.1:$PORT_A;
    default_type application/json;
    location = /v1/chat/completions { return 200 '$RESPONSE_JSON'; }
    location / { return 404 '{\"error\":{\"message\":\"bench origin: unknown path\",\"type\":\"invalid_request_error\"}}'; }
  }"

nginx_conf "$WORK/nginx-proxy" "
  upstream origin {
    server 127.0.0.1:$PORT_A;
    keepalive 64;
    keepalive_requests 1000000;
  }
  server {
    listen 127.0.0.1:$PORT_B;
    location / {
      proxy_pass http://origin;
      proxy_http_version 1.1;
      proxy_set_header Connection \"\";
    }
  }"

for name in origin proxy; do
  dir="$WORK/nginx-$name"
  "$NGINX" -p "$dir" -e "$dir/error.log" -c "$dir/nginx.conf" &
  PIDS+=($!)
done

# ---------------------------------------------------------------- Faultline (c)
if want c; then
# Run a snapshot of dist/ (jar, plugins, config): a rebuild during the run rewrites
# dist/faultline.jar in place, and a JVM whose jar changes under it fails on the next class load.
cp -r "$ROOT/dist" "$WORK/dist"
mkdir -p "$WORK/data"
log "starting Faultline (snapshot of $ROOT/dist, admin port $PORT_ADMIN)"
( cd "$WORK" && FAULTLINE_ADMIN_PORT=$PORT_ADMIN FAULTLINE_DATA_DIR="$WORK/data" FAULTLINE_DEMO_PORT=off \
    exec java $JAVA_OPTS -jar dist/faultline.jar ) >"$WORK/faultline.log" 2>&1 &
FL_PID=$!
PIDS+=($FL_PID)

deadline=$((SECONDS + HEALTH_TIMEOUT))
until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT_ADMIN/healthz" 2>/dev/null)" = 200 ]; do
  if ! kill -0 "$FL_PID" 2>/dev/null; then
    tail -n 30 "$WORK/faultline.log" >&2; die "Faultline exited before /healthz answered"
  fi
  [ $SECONDS -lt $deadline ] || { tail -n 30 "$WORK/faultline.log" >&2; die "Faultline /healthz not 200 after ${HEALTH_TIMEOUT}s"; }
  sleep 0.3
done

created=$(curl -s -X POST "http://127.0.0.1:$PORT_ADMIN/api/proxies" -H 'Content-Type: application/json' \
  -d "{\"name\":\"bench\",\"provider\":\"openai\",\"upstream\":\"http://127.0.0.1:$PORT_A\",\"port\":$PORT_C${PROXY_EXTRA:+,$PROXY_EXTRA}}")
grep -q '"status" *: *"running"' <<<"$created" || die "creating the Faultline proxy failed: $created"
fi

# ---------------------------------------------------------------- verify all targets
declare -A URL=(
  [a]="http://127.0.0.1:$PORT_A/v1/chat/completions"
  [b]="http://127.0.0.1:$PORT_B/v1/chat/completions"
  [c]="http://127.0.0.1:$PORT_C/v1/chat/completions"
)
declare -A LABEL=([a]="nginx direct (a)" [b]="nginx proxy (b)" [c]="Faultline (c)")

for t in "${TARGETS[@]}"; do
  ok=""
  for _ in $(seq 50); do   # nginx may need a moment to bind
    code=$(curl -s -o "$WORK/verify-$t.json" -w '%{http_code}' -X POST "${URL[$t]}" \
      -H 'Content-Type: application/json' -H 'Authorization: Bearer sk-bench' -d "$REQUEST_JSON" || true)
    [ "$code" = 200 ] && { ok=1; break; }
    sleep 0.2
  done
  [ -n "$ok" ] || die "${LABEL[$t]} ${URL[$t]} answered HTTP ${code:-none}: $(head -c 300 "$WORK/verify-$t.json" 2>/dev/null)"
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["object"]=="chat.completion" and d["choices"], d' \
    "$WORK/verify-$t.json" || die "${LABEL[$t]} answered 200 but not with the chat completion JSON"
done
log "targets (${TARGETS[*]}) answer 200 with the chat completion ($(wc -c <"$WORK/verify-${TARGETS[0]}.json") bytes)"

# ---------------------------------------------------------------- measure
run_wrk() {  # $1 target, $2 seconds, $3 output file
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$2s" --latency -s "$WORK/post.lua" "${URL[$1]}" >"$3" 2>&1 \
    || { cat "$3" >&2; die "wrk failed against ${LABEL[$1]}"; }
}

log "warm-up: ${WARMUP}s per nginx target, ${JVM_WARMUP}s for Faultline"
for t in "${TARGETS[@]}"; do
  secs=$WARMUP; [ "$t" = c ] && secs=$JVM_WARMUP
  [ "$secs" -gt 0 ] || continue
  run_wrk "$t" "$secs" "$RESULTS/warmup-$t.txt"
  # fail fast: a target that errors under load would only waste the rounds
  awk '/^BENCH /{ for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
                  ok = v["requests"] > 0 && v["non2xx"] + v["connect"] + v["read"] + v["write"] + v["timeout"] == 0 }
       END { exit !ok }' \
    "$RESULTS/warmup-$t.txt" || { cat "$RESULTS/warmup-$t.txt" >&2; die "${LABEL[$t]} had errors during the warm-up"; }
done

log "$ROUNDS rounds x (${TARGETS[*]}), ${DURATION}s each, -c$CONNECTIONS -t$THREADS, nginx workers=$NGINX_WORKERS"
for r in $(seq "$ROUNDS"); do
  for t in "${TARGETS[@]}"; do
    run_wrk "$t" "$DURATION" "$RESULTS/round$r-$t.txt"
    if want c && ! kill -0 "$FL_PID" 2>/dev/null; then die "Faultline died during the run; see $RESULTS/faultline.log"; fi
    log "round $r ${LABEL[$t]}: $(grep -E 'Requests/sec' "$RESULTS/round$r-$t.txt" | tr -s ' ')"
  done
done

# ---------------------------------------------------------------- report
echo
status=0
python3 - "$RESULTS" "$ROUNDS" "$CONNECTIONS" "$THREADS" "$DURATION" "${TARGETS[*]}" <<'EOF' || status=$?
import re, sys, statistics as st
results, rounds, conns, threads, dur, targets = sys.argv[1], int(sys.argv[2]), *sys.argv[3:]
targets = targets.split()
labels = {"a": "nginx direct   (a)", "b": "nginx proxy    (b)", "c": "Faultline      (c)"}

def parse(path):
    line = next(l for l in open(path) if l.startswith("BENCH "))
    d = {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", line)}
    d["rps"] = d["requests"] / (d["duration_us"] / 1e6)
    d["errors"] = d["non2xx"] + d["connect"] + d["read"] + d["write"] + d["timeout"]
    return d

runs = {t: [parse(f"{results}/round{r}-{t}.txt") for r in range(1, rounds + 1)] for t in targets}
med = lambda xs: st.median(xs)

print(f"Pass-through on loopback: wrk -t{threads} -c{conns}, {rounds} rounds x {dur}s, medians over rounds")
print(f"{'target':<20}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}   per-round req/s")
for t in targets:
    rs = runs[t]
    print(f"{labels[t]:<20}{med([x['rps'] for x in rs]):>10.0f}"
          f"{med([x['p50_us'] for x in rs]) / 1000:>9.3f}{med([x['p99_us'] for x in rs]) / 1000:>9.3f}"
          f"{sum(x['errors'] for x in rs):>8}   " + " ".join(f"{x['rps']:.0f}" for x in rs))

ratio = lambda x, y: med([p["rps"] / q["rps"] for p, q in zip(runs[x], runs[y])])
added = lambda x: med([(p["p50_us"] - a["p50_us"]) / 1000 for p, a in zip(runs[x], runs["a"])])
# a run with errors (or no request at all) makes the comparison meaningless
broken = any(x["errors"] or not x["requests"] for rs in runs.values() for x in rs)
ok = lambda good: "INVALID, errors" if broken else "OK" if good else "MISS"
print()
if {"b", "c"} <= runs.keys():
    r = ratio("c", "b")
    print(f"Faultline / nginx-proxy req/s (median of per-round ratios): {r:.2f}  target >= 0.70   [{ok(r >= 0.7)}]")
if {"a", "c"} <= runs.keys():
    d = added("c")
    print(f"Faultline added p50 over nginx direct (a), median per round: {d:.3f} ms  target < 0.5 ms [{ok(d < 0.5)}]"
          + ("" if conns == "16" else "  (target is defined at 16 connections)"))
if {"a", "b"} <= runs.keys():
    print(f"  for reference: nginx proxy (b) / direct (a) req/s = {ratio('b', 'a'):.2f}, "
          f"nginx proxy adds {added('b'):.3f} ms p50 over (a)")
if broken:
    print("WARNING: some runs had socket errors or non-2xx responses; see the raw wrk outputs")
sys.exit(1 if broken else 0)
EOF
echo
echo "raw wrk outputs: $RESULTS"
exit "$status"
