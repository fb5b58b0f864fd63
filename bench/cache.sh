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

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"   # ROOT, JAR, log/die and the steps all benchmarks share

# ---------------------------------------------------------------- prerequisites
require_tools
if [ ! -f "$JAR" ]; then
  log "dist/faultline.jar missing: building (mvn -B -q package -DskipTests)"
  (cd "$ROOT" && mvn -B -q package -DskipTests) || die "maven build failed"
fi

# ---------------------------------------------------------------- work dirs + cleanup
setup_work_dirs faultline-cache-bench faultline-cache-bench-raw   # WORK, RESULTS (raw wrk outputs, kept)

save_logs() {  # called on exit: keep the logs next to the raw wrk outputs
  [ -f "$WORK/faultline.log" ] && tail -n 2000 "$WORK/faultline.log" >"$RESULTS/faultline.log"
  [ -f "$WORK/nginx/error.log" ] && cp "$WORK/nginx/error.log" "$RESULTS/nginx-error.log"
}

read -r PORT_A PORT_H PORT_ADMIN < <(free_ports 3)

# ---------------------------------------------------------------- payloads
# The same ~630-byte chat completion as bench/passthrough.sh. No single quotes or '$' (nginx string).
# The request (REQUEST_JSON) is the one in lib.sh.
RESPONSE_JSON='{"id":"chatcmpl-BenchFixedResponse0000000001","object":"chat.completion","created":1732600000,"model":"gpt-4o-mini-2024-07-18","system_fingerprint":"fp_bench00001","choices":[{"index":0,"message":{"role":"assistant","content":"Hello from the Faultline cache benchmark. This is a fixed chat completion served by nginx, so that only the HTTP hop is measured and no model latency is involved at all, not even once.","refusal":null},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":28,"completion_tokens":39,"total_tokens":67,"prompt_tokens_details":{"cached_tokens":0},"completion_tokens_details":{"reasoning_tokens":0}}}'
write_wrk_lua "$WORK/post.lua"

# The same request, told not to use the cache: Faultline's pass-through path.
sed 's|^wrk.headers\["Authorization"\].*|&\nwrk.headers["Cache-Control"] = "no-store"|' "$WORK/post.lua" >"$WORK/bypass.lua"

# ---------------------------------------------------------------- nginx (a)
write_nginx_conf "$WORK/nginx" "$NGINX_WORKERS" "$(origin_server "$PORT_A" "$RESPONSE_JSON")"
start_nginx "$WORK/nginx"

# ---------------------------------------------------------------- Faultline (h)
snapshot_dist
start_faultline "$PORT_ADMIN"
created=$(create_proxy "{\"name\":\"bench-cache\",\"provider\":\"openai\",\"upstream\":\"http://127.0.0.1:$PORT_A\",\"port\":$PORT_H,\"cache\":{\"enabled\":true}${PROXY_EXTRA:+,$PROXY_EXTRA}}")
PROXY_ID=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["id"])' "$created")

# ---------------------------------------------------------------- verify
declare -A URL=([a]="http://127.0.0.1:$PORT_A/v1/chat/completions" [h]="http://127.0.0.1:$PORT_H/v1/chat/completions"
  [b]="http://127.0.0.1:$PORT_H/v1/chat/completions")
declare -A LABEL=([a]="direct (a)" [h]="cache hit (h)" [b]="no-store pass-through (b)")
declare -A SCRIPT=([a]=post.lua [h]=post.lua [b]=bypass.lua)
for t in a h h; do   # h twice: the first is the miss that fills the cache
  code=$(post_until_200 "${URL[$t]}" -D "$WORK/headers-$t" -o "$WORK/verify-$t.json") \
    || die "${LABEL[$t]} answered HTTP ${code:-none}"
  cmp -s "$WORK/verify-a.json" "$WORK/verify-$t.json" || die "${LABEL[$t]} did not answer the upstream's bytes"
done
grep -qi '^x-faultline-cache: *HIT' "$WORK/headers-h" || die "the proxy's second answer was not a cache HIT: $(cat "$WORK/headers-h")"
curl -s -D "$WORK/headers-b" -o /dev/null -X POST "${URL[b]}" -H 'Content-Type: application/json' \
  -H 'Authorization: Bearer sk-bench' -H 'Cache-Control: no-store' -d "$REQUEST_JSON"
grep -qi '^x-faultline-cache: *BYPASS' "$WORK/headers-b" || die "no-store was not a BYPASS: $(cat "$WORK/headers-b")"
log "both targets answer the same $(wc -c <"$WORK/verify-a.json")-byte completion; the proxy's is a cache HIT"

# ---------------------------------------------------------------- measure
measure() {  # $1 target, $2 seconds, $3 output file
  run_wrk "$WORK/${SCRIPT[$1]}" "${URL[$1]}" "$2" "$3" "${LABEL[$1]}"
}
log "warm-up: ${WARMUP}s nginx, ${JVM_WARMUP}s Faultline"
[ "$WARMUP" -gt 0 ] && measure a "$WARMUP" "$RESULTS/warmup-a.txt"
[ "$JVM_WARMUP" -gt 0 ] && measure h "$JVM_WARMUP" "$RESULTS/warmup-h.txt"

log "$ROUNDS rounds x (a h b), ${DURATION}s each, -c$CONNECTIONS -t$THREADS"
for r in $(seq "$ROUNDS"); do
  for t in a h b; do
    measure "$t" "$DURATION" "$RESULTS/round$r-$t.txt"
    kill -0 "$FL_PID" 2>/dev/null || die "Faultline died during the run"
    log_round "$r" "${LABEL[$t]}" "$RESULTS/round$r-$t.txt"
  done
done

# Every measured request to (h) must have been a hit: the proxy counted exactly one miss (the
# verify step); (b)'s requests count as bypasses.
curl -s -H "$FL_AUTH" "http://127.0.0.1:$PORT_ADMIN/api/proxies/$PROXY_ID/cache?limit=1" >"$RESULTS/cache-stats.json"

# ---------------------------------------------------------------- report
echo
wrk_python "$RESULTS" "$ROUNDS" "$CONNECTIONS" "$THREADS" "$DURATION" <<'EOF'   # parse, load_rounds, table, med: lib.sh
results, rounds, conns, threads, dur = sys.argv[1], int(sys.argv[2]), *sys.argv[3:]
runs = load_rounds(results, rounds, "ahb")
labels = {"a": "direct to nginx   (a)", "h": "Faultline hit     (h)", "b": "no-store, via (a) (b)"}
print(f"Cache hits vs a local static upstream, loopback: wrk -t{threads} -c{conns}, {rounds} rounds x {dur}s, medians")
table(runs, labels, 24)
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
