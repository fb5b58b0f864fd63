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
WRITER_ROUNDS=${WRITER_ROUNDS:-5}    # writer rounds (the first one warms the JIT up and is not counted)
JAVA_OPTS=${JAVA_OPTS:-}         # extra JVM flags for both Java processes
HEALTH_TIMEOUT=${HEALTH_TIMEOUT:-90}
KEEP=${KEEP:-0}                  # 1 = keep the work dir

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"   # ROOT, JAR, log/die and the steps all benchmarks share
LOG_TAG=logs-bench
BENCH_CLASS="$ROOT/platform/target/test-classes/dev/faultline/logs/LogWriterBench.class"

require_tools

if [ ! -f "$JAR" ] || [ ! -f "$BENCH_CLASS" ]; then
  log "building (mvn -B -q install -DskipTests: the jar, and the test classes holding LogWriterBench)"
  (cd "$ROOT" && mvn -B -q install -DskipTests) || die "maven build failed"
fi

setup_work_dirs faultline-logs-bench   # WORK only: the report is all this benchmark keeps

# A snapshot of what runs: a rebuild by someone else must not change classes under a running JVM.
snapshot_dist
cp -r "$ROOT/platform/target/test-classes" "$WORK/test-classes"

# ------------------------------------------------------------------ 1. the writer
log "writer: $WRITER_ROUNDS rounds of $WRITER_ROWS rows into a fresh SQLite file each"
java $JAVA_OPTS -cp "$WORK/dist/faultline.jar:$WORK/test-classes" dev.faultline.logs.LogWriterBench \
  "$WRITER_ROWS" "$WRITER_ROUNDS" 2>"$WORK/writer.log" | tee "$WORK/writer.txt" >&2 \
  || { tail -n 30 "$WORK/writer.log" >&2; die "the writer benchmark failed"; }

# ------------------------------------------------------------------ 2. proxies, logging on and off
read -r PORT_ORIGIN PORT_ADMIN PORT_ON PORT_OFF < <(free_ports 4)

# The request (REQUEST_JSON) is the one in lib.sh.
RESPONSE_JSON='{"id":"chatcmpl-BenchFixedResponse0000000001","object":"chat.completion","created":1732600000,"model":"gpt-4o-mini-2024-07-18","system_fingerprint":"fp_bench00001","choices":[{"index":0,"message":{"role":"assistant","content":"Hello from the Faultline log benchmark. This is a fixed chat completion served by nginx, so that only the proxy and its logging are measured.","refusal":null},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":28,"completion_tokens":31,"total_tokens":59,"prompt_tokens_details":{"cached_tokens":0},"completion_tokens_details":{"reasoning_tokens":0}}}'

write_nginx_conf "$WORK/nginx" 1 "$(origin_server "$PORT_ORIGIN" "$RESPONSE_JSON")"
start_nginx "$WORK/nginx"

start_faultline "$PORT_ADMIN"
create() {  # $1 name, $2 port, $3 logging block
  create_proxy "{\"name\":\"$1\",\"provider\":\"openai\",\"upstream\":\"http://127.0.0.1:$PORT_ORIGIN\",\"port\":$2,\"logging\":$3}" >/dev/null
}
create logged "$PORT_ON" '{"enabled":true}'
create quiet "$PORT_OFF" '{"enabled":false}'

write_wrk_lua "$WORK/post.lua"
declare -A PORT=([on]=$PORT_ON [off]=$PORT_OFF)
measure() {  # $1 on|off, $2 seconds, $3 output
  run_wrk "$WORK/post.lua" "http://127.0.0.1:${PORT[$1]}/v1/chat/completions" "$2" "$3" "logging $1"
}
for t in on off; do
  code=$(post_until_200 "http://127.0.0.1:${PORT[$t]}/v1/chat/completions" -o /dev/null) \
    || die "proxy (logging $t) answered HTTP $code"
  log "warm-up ${WARMUP}s, logging $t"
  measure "$t" "$WARMUP" "$WORK/warmup-$t.txt"
done

log "$ROUNDS rounds, ${DURATION}s each, -c$CONNECTIONS -t$THREADS, order alternating"
for r in $(seq "$ROUNDS"); do
  if [ $((r % 2)) -eq 1 ]; then order="on off"; else order="off on"; fi
  for t in $order; do
    measure "$t" "$DURATION" "$WORK/round$r-$t.txt"
    log_round "$r" "logging $t" "$WORK/round$r-$t.txt"
  done
done
sleep 1  # let the writer catch up before reading its counts
curl -s "http://127.0.0.1:$PORT_ADMIN/healthz" >"$WORK/health.json"

echo
wrk_python "$WORK" "$ROUNDS" "$CONNECTIONS" "$THREADS" "$DURATION" <<'EOF'   # parse, load_rounds, table, med: lib.sh
work, rounds, conns, threads, dur = sys.argv[1], int(sys.argv[2]), *sys.argv[3:]

writer = [dict(re.findall(r"(\w+)=([\d.]+)", l)) for l in open(f"{work}/writer.txt") if l.startswith("WRITER")]
rates = [float(w["rows_per_s"]) for w in writer]
sustained = st.median(rates[1:]) if len(rates) > 1 else rates[0]
lost = sum(int(w["dropped"]) + int(w["failed"]) for w in writer)
print("Log writer into SQLite (rows/s per round; the first round warms the JIT up):")
print("  " + "  ".join(f"{r:.0f}" for r in rates) + f"   -> sustained (median after round 1): {sustained:.0f} rows/s"
      f"  target >= 20000  [{'OK' if sustained >= 20000 and not lost else 'MISS'}]" + (f"  LOST {lost}" if lost else ""))

runs = load_rounds(work, rounds, ("on", "off"))
print()
print(f"Proxy throughput, wrk -t{threads} -c{conns}, {rounds} rounds x {dur}s, medians over rounds")
table(runs, {"on": "on", "off": "off"}, 10, first="logging")
ratio = st.median([a["rps"] / b["rps"] for a, b in zip(runs["on"], runs["off"])])
broken = any(x["errors"] for rs in runs.values() for x in rs)
print(f"on / off (median of per-round ratios): {ratio:.3f}  -> logging costs {(1 - ratio) * 100:.1f}%"
      f"  target < 10%  [{'INVALID, errors' if broken else 'OK' if ratio >= 0.9 else 'MISS'}]")
logs = json.load(open(f"{work}/health.json")).get("logs", {})
print(f"log pipeline after the run: {json.dumps(logs)}")
sys.exit(1 if broken else 0)
EOF
