#!/usr/bin/env bash
# Cache-hit benchmark, on loopback:
#   (a) nginx answering a fixed OpenAI chat completion          -> a local static upstream, called directly
#   (h) a Faultline proxy (provider "openai", upstream = (a)) with its cache on, every request a HIT
#   (b) the same proxy and request with Cache-Control: no-store  -> for reference: the way through
#       Faultline to (a) that a hit saves
# Same request, same wrk load, alternating rounds a -> h -> b; prints req/s and p50/p99 of each
# and the ratio hit / direct (target >= 1.0: a hit skips the upstream entirely).
set -euo pipefail

ROUNDS=${ROUNDS:-3}              # alternating a->h->b rounds
DURATION=${DURATION:-5}          # seconds per wrk run
WARMUP=${WARMUP:-3}              # seconds of un-recorded warm-up of nginx before round 1
JVM_WARMUP=${JVM_WARMUP:-15}     # seconds of un-recorded warm-up of Faultline (JIT) before round 1
CONNECTIONS=${CONNECTIONS:-16}   # wrk -c
THREADS=${THREADS:-2}            # wrk -t
NGINX_WORKERS=${NGINX_WORKERS:-auto}
JAVA_OPTS=${JAVA_OPTS:-}         # extra JVM flags for Faultline
HEALTH_TIMEOUT=${HEALTH_TIMEOUT:-90}
KEEP=${KEEP:-0}                  # 1 = keep the work dir (config, logs, Faultline data)
# Extra fields for the proxy, e.g. PROXY_EXTRA='"logging":{"enabled":false}' to see the hit path
# without the request log's per-request cost.
PROXY_EXTRA=${PROXY_EXTRA:-}

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
if [ ! -f "$JAR" ]; then
  log "dist/faultline.jar missing: building (mvn -B -q package -DskipTests)"
  (cd "$ROOT" && mvn -B -q package -DskipTests) || die "maven build failed"
fi

# ---------------------------------------------------------------- work dirs + cleanup
WORK=$(mktemp -d "${TMPDIR:-/tmp}/faultline-cache-bench.XXXXXX")
RESULTS=$(mktemp -d "${TMPDIR:-/tmp}/faultline-cache-bench-raw.XXXXXX")
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
  [ -f "$WORK/faultline.log" ] && tail -n 2000 "$WORK/faultline.log" >"$RESULTS/faultline.log"
  [ -f "$WORK/nginx/error.log" ] && cp "$WORK/nginx/error.log" "$RESULTS/nginx-error.log"
  if [ "$KEEP" = 1 ]; then log "work dir kept: $WORK"; else rm -rf "$WORK"; fi
  log "raw wrk outputs and logs: $RESULTS"
  exit "$rc"
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM

read -r PORT_A PORT_H PORT_ADMIN < <(python3 - <<'EOF'
import socket
socks = []
for _ in range(3):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
EOF
)

# ---------------------------------------------------------------- payloads
# The same ~630-byte chat completion as bench/passthrough.sh. No single quotes or '$' (nginx string).
RESPONSE_JSON='{"id":"chatcmpl-BenchFixedResponse0000000001","object":"chat.completion","created":1732600000,"model":"gpt-4o-mini-2024-07-18","system_fingerprint":"fp_bench00001","choices":[{"index":0,"message":{"role":"assistant","content":"Hello from the Faultline cache benchmark. This is a fixed chat completion served by nginx, so that only the HTTP hop is measured and no model latency is involved at all, not even once.","refusal":null},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":28,"completion_tokens":39,"total_tokens":67,"prompt_tokens_details":{"cached_tokens":0},"completion_tokens_details":{"reasoning_tokens":0}}}'
REQUEST_JSON='{"model":"gpt-4o-mini","messages":[{"role":"system","content":"You are a helpful assistant."},{"role":"user","content":"Say hello to the benchmark."}],"temperature":0}'

cat >"$WORK/post.lua" <<EOF
wrk.method = "POST"
wrk.body   = '$REQUEST_JSON'
wrk.headers["Content-Type"]  = "application/json"
wrk.headers["Authorization"] = "Bearer sk-bench"

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d p50_us=%d p99_us=%d non2xx=%d connect=%d read=%d write=%d timeout=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.status, e.connect, e.read, e.write, e.timeout))
end
EOF

# The same request, told not to use the cache: Faultline's pass-through path.
sed 's|^wrk.headers\["Authorization"\].*|&\nwrk.headers["Cache-Control"] = "no-store"|' "$WORK/post.lua" >"$WORK/bypass.lua"

# ---------------------------------------------------------------- nginx (a)
mkdir -p "$WORK/nginx"
{
  [ "$(id -u)" -eq 0 ] && echo "user root;"
  cat <<EOF
daemon off;
worker_processes $NGINX_WORKERS;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  keepalive_timeout 75s;
  client_body_temp_path $WORK/nginx/client_body;
  proxy_temp_path       $WORK/nginx/proxy;
  fastcgi_temp_path     $WORK/nginx/fastcgi;
  uwsgi_temp_path       $WORK/nginx/uwsgi;
  scgi_temp_path        $WORK/nginx/scgi;
  server {
    listen 127.0.0.1:$PORT_A;
    default_type application/json;
    location = /v1/chat/completions { return 200 '$RESPONSE_JSON'; }
    location / { return 404 '{"error":{"message":"bench origin: unknown path","type":"invalid_request_error"}}'; }
  }
}
EOF
} >"$WORK/nginx/nginx.conf"
"$NGINX" -t -q -p "$WORK/nginx" -e "$WORK/nginx/error.log" -c "$WORK/nginx/nginx.conf" || die "bad nginx config"
"$NGINX" -p "$WORK/nginx" -e "$WORK/nginx/error.log" -c "$WORK/nginx/nginx.conf" &
PIDS+=($!)

# ---------------------------------------------------------------- Faultline (h)
# A snapshot of dist/: a rebuild during the run must not change the jar under the JVM.
cp -r "$ROOT/dist" "$WORK/dist"
mkdir -p "$WORK/data"
log "starting Faultline (admin port $PORT_ADMIN)"
( cd "$WORK" && FAULTLINE_ADMIN_PORT=$PORT_ADMIN FAULTLINE_DATA_DIR="$WORK/data" FAULTLINE_DEMO_PORT=off \
    exec java $JAVA_OPTS -jar dist/faultline.jar ) >"$WORK/faultline.log" 2>&1 &
FL_PID=$!
PIDS+=($FL_PID)

deadline=$((SECONDS + HEALTH_TIMEOUT))
until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT_ADMIN/healthz" 2>/dev/null)" = 200 ]; do
  kill -0 "$FL_PID" 2>/dev/null || { tail -n 30 "$WORK/faultline.log" >&2; die "Faultline exited before /healthz answered"; }
  [ $SECONDS -lt $deadline ] || { tail -n 30 "$WORK/faultline.log" >&2; die "Faultline /healthz not 200 after ${HEALTH_TIMEOUT}s"; }
  sleep 0.3
done

created=$(curl -s -X POST "http://127.0.0.1:$PORT_ADMIN/api/proxies" -H 'Content-Type: application/json' \
  -d "{\"name\":\"bench-cache\",\"provider\":\"openai\",\"upstream\":\"http://127.0.0.1:$PORT_A\",\"port\":$PORT_H,\"cache\":{\"enabled\":true}${PROXY_EXTRA:+,$PROXY_EXTRA}}")
grep -q '"status" *: *"running"' <<<"$created" || die "creating the Faultline proxy failed: $created"
PROXY_ID=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["id"])' "$created")

# ---------------------------------------------------------------- verify
declare -A URL=([a]="http://127.0.0.1:$PORT_A/v1/chat/completions" [h]="http://127.0.0.1:$PORT_H/v1/chat/completions"
  [b]="http://127.0.0.1:$PORT_H/v1/chat/completions")
declare -A LABEL=([a]="direct (a)" [h]="cache hit (h)" [b]="no-store pass-through (b)")
declare -A SCRIPT=([a]=post.lua [h]=post.lua [b]=bypass.lua)
for t in a h h; do   # h twice: the first is the miss that fills the cache
  ok=""
  for _ in $(seq 50); do
    code=$(curl -s -D "$WORK/headers-$t" -o "$WORK/verify-$t.json" -w '%{http_code}' -X POST "${URL[$t]}" \
      -H 'Content-Type: application/json' -H 'Authorization: Bearer sk-bench' -d "$REQUEST_JSON" || true)
    [ "$code" = 200 ] && { ok=1; break; }
    sleep 0.2
  done
  [ -n "$ok" ] || die "${LABEL[$t]} answered HTTP ${code:-none}"
  cmp -s "$WORK/verify-a.json" "$WORK/verify-$t.json" || die "${LABEL[$t]} did not answer the upstream's bytes"
done
grep -qi '^x-faultline-cache: *HIT' "$WORK/headers-h" || die "the proxy's second answer was not a cache HIT: $(cat "$WORK/headers-h")"
curl -s -D "$WORK/headers-b" -o /dev/null -X POST "${URL[b]}" -H 'Content-Type: application/json' \
  -H 'Authorization: Bearer sk-bench' -H 'Cache-Control: no-store' -d "$REQUEST_JSON"
grep -qi '^x-faultline-cache: *BYPASS' "$WORK/headers-b" || die "no-store was not a BYPASS: $(cat "$WORK/headers-b")"
log "both targets answer the same $(wc -c <"$WORK/verify-a.json")-byte completion; the proxy's is a cache HIT"

# ---------------------------------------------------------------- measure
run_wrk() {  # $1 target, $2 seconds, $3 output file
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$2s" --latency -s "$WORK/${SCRIPT[$1]}" "${URL[$1]}" >"$3" 2>&1 \
    || { cat "$3" >&2; die "wrk failed against ${LABEL[$1]}"; }
}
log "warm-up: ${WARMUP}s nginx, ${JVM_WARMUP}s Faultline"
[ "$WARMUP" -gt 0 ] && run_wrk a "$WARMUP" "$RESULTS/warmup-a.txt"
[ "$JVM_WARMUP" -gt 0 ] && run_wrk h "$JVM_WARMUP" "$RESULTS/warmup-h.txt"

log "$ROUNDS rounds x (a h b), ${DURATION}s each, -c$CONNECTIONS -t$THREADS"
for r in $(seq "$ROUNDS"); do
  for t in a h b; do
    run_wrk "$t" "$DURATION" "$RESULTS/round$r-$t.txt"
    kill -0 "$FL_PID" 2>/dev/null || die "Faultline died during the run"
    log "round $r ${LABEL[$t]}: $(grep -E 'Requests/sec' "$RESULTS/round$r-$t.txt" | tr -s ' ')"
  done
done

# Every measured request to (h) must have been a hit: the proxy counted exactly one miss (the
# verify step); (b)'s requests count as bypasses.
curl -s "http://127.0.0.1:$PORT_ADMIN/api/proxies/$PROXY_ID/cache?limit=1" >"$RESULTS/cache-stats.json"

# ---------------------------------------------------------------- report
echo
python3 - "$RESULTS" "$ROUNDS" "$CONNECTIONS" "$THREADS" "$DURATION" <<'EOF'
import json, re, sys, statistics as st
results, rounds, conns, threads, dur = sys.argv[1], int(sys.argv[2]), *sys.argv[3:]

def parse(path):
    line = next(l for l in open(path) if l.startswith("BENCH "))
    d = {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", line)}
    d["rps"] = d["requests"] / (d["duration_us"] / 1e6)
    d["errors"] = d["non2xx"] + d["connect"] + d["read"] + d["write"] + d["timeout"]
    return d

runs = {t: [parse(f"{results}/round{r}-{t}.txt") for r in range(1, rounds + 1)] for t in "ahb"}
med = st.median
labels = {"a": "direct to nginx   (a)", "h": "Faultline hit     (h)", "b": "no-store, via (a) (b)"}
print(f"Cache hits vs a local static upstream, loopback: wrk -t{threads} -c{conns}, {rounds} rounds x {dur}s, medians")
print(f"{'target':<24}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}   per-round req/s")
for t in "ahb":
    rs = runs[t]
    print(f"{labels[t]:<24}{med([x['rps'] for x in rs]):>10.0f}{med([x['p50_us'] for x in rs]) / 1000:>9.3f}"
          f"{med([x['p99_us'] for x in rs]) / 1000:>9.3f}{sum(x['errors'] for x in rs):>8}   "
          + " ".join(f"{x['rps']:.0f}" for x in rs))
ratio = med([h["rps"] / a["rps"] for h, a in zip(runs["h"], runs["a"])])
p50 = med([a["p50_us"] / h["p50_us"] for h, a in zip(runs["h"], runs["a"]) if h["p50_us"]])
stats = json.load(open(f"{results}/cache-stats.json"))["stats"]
broken = any(x["errors"] or not x["requests"] for rs in runs.values() for x in rs) or stats["misses"] != 1
verdict = "INVALID, errors or misses" if broken else "OK" if ratio >= 1.0 else "MISS"
print()
print(f"hit / direct req/s (median of per-round ratios): {ratio:.2f}   target >= 1.0   [{verdict}]")
print(f"direct p50 / hit p50 (median of per-round ratios): {p50:.2f}   (> 1 means a hit answers sooner)")
saved = med([h["rps"] / b["rps"] for h, b in zip(runs["h"], runs["b"])])
print(f"for reference: hit / no-store pass-through req/s = {saved:.2f} (what the cache saves over going upstream)")
print(f"proxy cache counters: {stats['hits']} hits, {stats['misses']} miss(es), {stats['bypasses']} bypasses")
sys.exit(1 if broken else 0)
EOF
