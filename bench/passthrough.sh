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

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"   # ROOT, JAR, log/die and the steps all benchmarks share

# ---------------------------------------------------------------- prerequisites
require_tools

read -r -a TARGETS <<<"$TARGETS"
for t in "${TARGETS[@]}"; do [[ $t =~ ^[abc]$ ]] || die "TARGETS may only contain a, b, c"; done
want() { [[ " ${TARGETS[*]} " == *" $1 "* ]]; }

if want c && [ ! -f "$JAR" ]; then
  log "dist/faultline.jar missing: building (mvn -B -q package -DskipTests)"
  (cd "$ROOT" && mvn -B -q package -DskipTests) || die "maven build failed"
  [ -f "$JAR" ] || die "build finished but $JAR is still missing"
fi

# ---------------------------------------------------------------- work dirs + cleanup
setup_work_dirs faultline-bench faultline-bench-raw   # WORK (configs, logs, data), RESULTS (raw wrk outputs, kept)

save_logs() {  # called on exit: keep the logs next to the raw wrk outputs (only the ends of a huge Faultline log)
  for name in origin proxy; do
    [ -f "$WORK/nginx-$name/error.log" ] && cp "$WORK/nginx-$name/error.log" "$RESULTS/nginx-$name-error.log"
  done
  if [ -f "$WORK/faultline.log" ]; then
    if [ "$(wc -l <"$WORK/faultline.log")" -le 2000 ]; then cp "$WORK/faultline.log" "$RESULTS/faultline.log"
    else { head -n 1000 "$WORK/faultline.log"; echo "[... cut by passthrough.sh ...]"; tail -n 1000 "$WORK/faultline.log"; } >"$RESULTS/faultline.log"
    fi
  fi
}

read -r PORT_A PORT_B PORT_C PORT_ADMIN _ < <(free_ports 5)

# ---------------------------------------------------------------- payloads
# ~600-byte OpenAI-shaped response served by nginx (a). No single quotes / '$' (nginx string).
# The request (REQUEST_JSON) is the one in lib.sh.
RESPONSE_JSON='{"id":"chatcmpl-BenchFixedResponse0000000001","object":"chat.completion","created":1732600000,"model":"gpt-4o-mini-2024-07-18","system_fingerprint":"fp_bench00001","choices":[{"index":0,"message":{"role":"assistant","content":"Hello from the Faultline pass-through benchmark. This is a fixed chat completion served by nginx, so that only the HTTP proxy hop is measured and no model latency is involved at all.","refusal":null},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":28,"completion_tokens":39,"total_tokens":67,"prompt_tokens_details":{"cached_tokens":0},"completion_tokens_details":{"reasoning_tokens":0}}}'
write_wrk_lua "$WORK/post.lua"

# ---------------------------------------------------------------- nginx (a) and (b)
write_nginx_conf "$WORK/nginx-origin" "$NGINX_WORKERS" "$(origin_server "$PORT_A" "$RESPONSE_JSON")"

write_nginx_conf "$WORK/nginx-proxy" "$NGINX_WORKERS" "
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

start_nginx "$WORK/nginx-origin"
start_nginx "$WORK/nginx-proxy"

# ---------------------------------------------------------------- Faultline (c)
if want c; then
  snapshot_dist
  start_faultline "$PORT_ADMIN"
  create_proxy "{\"name\":\"bench\",\"provider\":\"openai\",\"upstream\":\"http://127.0.0.1:$PORT_A\",\"port\":$PORT_C${PROXY_EXTRA:+,$PROXY_EXTRA}}" >/dev/null
fi

# ---------------------------------------------------------------- verify all targets
declare -A URL=(
  [a]="http://127.0.0.1:$PORT_A/v1/chat/completions"
  [b]="http://127.0.0.1:$PORT_B/v1/chat/completions"
  [c]="http://127.0.0.1:$PORT_C/v1/chat/completions"
)
declare -A LABEL=([a]="nginx direct (a)" [b]="nginx proxy (b)" [c]="Faultline (c)")

for t in "${TARGETS[@]}"; do
  code=$(post_until_200 "${URL[$t]}" -o "$WORK/verify-$t.json") \
    || die "${LABEL[$t]} ${URL[$t]} answered HTTP ${code:-none}: $(head -c 300 "$WORK/verify-$t.json" 2>/dev/null)"
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["object"]=="chat.completion" and d["choices"], d' \
    "$WORK/verify-$t.json" || die "${LABEL[$t]} answered 200 but not with the chat completion JSON"
done
log "targets (${TARGETS[*]}) answer 200 with the chat completion ($(wc -c <"$WORK/verify-${TARGETS[0]}.json") bytes)"

# ---------------------------------------------------------------- measure
measure() {  # $1 target, $2 seconds, $3 output file
  run_wrk "$WORK/post.lua" "${URL[$1]}" "$2" "$3" "${LABEL[$1]}"
}

log "warm-up: ${WARMUP}s per nginx target, ${JVM_WARMUP}s for Faultline"
for t in "${TARGETS[@]}"; do
  secs=$WARMUP; [ "$t" = c ] && secs=$JVM_WARMUP
  [ "$secs" -gt 0 ] || continue
  measure "$t" "$secs" "$RESULTS/warmup-$t.txt"
  # fail fast: a target that errors under load would only waste the rounds
  awk '/^BENCH /{ for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
                  ok = v["requests"] > 0 && v["non2xx"] + v["connect"] + v["read"] + v["write"] + v["timeout"] == 0 }
       END { exit !ok }' \
    "$RESULTS/warmup-$t.txt" || { cat "$RESULTS/warmup-$t.txt" >&2; die "${LABEL[$t]} had errors during the warm-up"; }
done

log "$ROUNDS rounds x (${TARGETS[*]}), ${DURATION}s each, -c$CONNECTIONS -t$THREADS, nginx workers=$NGINX_WORKERS"
for r in $(seq "$ROUNDS"); do
  for t in "${TARGETS[@]}"; do
    measure "$t" "$DURATION" "$RESULTS/round$r-$t.txt"
    if want c && ! kill -0 "$FL_PID" 2>/dev/null; then die "Faultline died during the run; see $RESULTS/faultline.log"; fi
    log_round "$r" "${LABEL[$t]}" "$RESULTS/round$r-$t.txt"
  done
done

# ---------------------------------------------------------------- report
echo
status=0
wrk_python "$RESULTS" "$ROUNDS" "$CONNECTIONS" "$THREADS" "$DURATION" "${TARGETS[*]}" <<'EOF' || status=$?  # parse, load_rounds, table, med: lib.sh
results, rounds, conns, threads, dur, targets = sys.argv[1], int(sys.argv[2]), *sys.argv[3:]
targets = targets.split()
labels = {"a": "nginx direct   (a)", "b": "nginx proxy    (b)", "c": "Faultline      (c)"}
runs = load_rounds(results, rounds, targets)

print(f"Pass-through on loopback: wrk -t{threads} -c{conns}, {rounds} rounds x {dur}s, medians over rounds")
table(runs, labels, 20)

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
