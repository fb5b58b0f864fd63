#!/usr/bin/env bash
# Soak, on loopback: Faultline under a steady, moderate load for DURATION seconds (30 minutes by
# default), with faults, the cache and the per-request log on, as a staging environment would
# run it for a day. It passes when
#   - the heap after a full GC at the end is within TOLERANCE_PCT (10%) of the heap after a full
#     GC at the start (after JVM_WARMUP), i.e. nothing accumulates per request;
#   - Faultline is still alive and /healthz answers 200 "ok";
#   - every request wrk saw answered was written to the log (none dropped or failed; the rows
#     kept are fewer once log_retention_rows prunes the oldest).
# Exits non-zero (and says which check failed) otherwise. Bounded: one wrk run of DURATION s at
# RATE requests/s (wrk2-like pacing is not available in Debian's wrk, so CONNECTIONS and a
# per-request upstream delay bound the rate instead).
set -euo pipefail

DURATION=${DURATION:-1800}       # seconds of load
JVM_WARMUP=${JVM_WARMUP:-60}     # seconds of load before the first heap reading
CONNECTIONS=${CONNECTIONS:-32}   # wrk -c
THREADS=${THREADS:-2}            # wrk -t
TOLERANCE_PCT=${TOLERANCE_PCT:-10}
NGINX_WORKERS=${NGINX_WORKERS:-1}
JAVA_OPTS=${JAVA_OPTS:--Xmx512m}
HEALTH_TIMEOUT=${HEALTH_TIMEOUT:-90}
KEEP=${KEEP:-0}

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
LOG_TAG=soak

require_tools
command -v jcmd >/dev/null || die "jcmd (from the JDK) is required"
if [ ! -f "$JAR" ]; then
  log "dist/faultline.jar missing: building (mvn -B -q package -DskipTests)"
  (cd "$ROOT" && mvn -B -q package -DskipTests) || die "maven build failed"
fi

setup_work_dirs faultline-soak faultline-soak-raw
save_logs() { [ -f "$WORK/faultline.log" ] && tail -n 2000 "$WORK/faultline.log" >"$RESULTS/faultline.log"; }

read -r PORT_ORIGIN PORT_PROXY PORT_ADMIN < <(free_ports 3)
RESPONSE_JSON='{"id":"chatcmpl-soak","object":"chat.completion","created":1732600000,"model":"gpt-4o-mini","choices":[{"index":0,"message":{"role":"assistant","content":"soak"},"finish_reason":"stop"}],"usage":{"prompt_tokens":20,"completion_tokens":2,"total_tokens":22}}'
write_nginx_conf "$WORK/nginx" "$NGINX_WORKERS" "$(origin_server "$PORT_ORIGIN" "$RESPONSE_JSON")"
start_nginx "$WORK/nginx"

snapshot_dist
start_faultline "$PORT_ADMIN"
# Every request a different prompt half of the time (cache misses and a growing cache), 5%
# injected 503s, a little latency: the paths a real day takes.
create_proxy "{\"name\":\"soak\",\"provider\":\"openai\",\"upstream\":\"http://127.0.0.1:$PORT_ORIGIN\",\"port\":$PORT_PROXY,
  \"cache\":{\"enabled\":true,\"ttl_seconds\":300},
  \"faults\":[{\"strategy\":\"http-error\",\"rate\":0.05,\"params\":{\"status\":503}},
              {\"strategy\":\"latency\",\"params\":{\"distribution\":\"uniform\",\"min_ms\":1,\"max_ms\":5}}]}" >/dev/null

cat >"$WORK/soak.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer sk-soak"
counter = 0
request = function()
  counter = counter + 1
  local prompt = (counter % 2 == 0) and "steady question" or ("question " .. (counter % 5000))
  return wrk.format(nil, nil, nil,
    '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"' .. prompt .. '"}]}')
end
done = function(summary, latency, requests)
  io.write(string.format("BENCH requests=%d non2xx=%d errors=%d\n", summary.requests, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
LUA

heap_after_gc() {  # bytes in use right after a full GC
  jcmd "$FL_PID" GC.run >/dev/null
  sleep 2
  jcmd "$FL_PID" GC.heap_info | python3 -c '
import re, sys
text = sys.stdin.read()
m = re.search(r"used (\d+)K", text)
print(int(m.group(1)) * 1024 if m else -1)'
}

log "load for ${DURATION}s (-t$THREADS -c$CONNECTIONS), first heap reading after ${JVM_WARMUP}s"
wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" -s "$WORK/soak.lua" "http://127.0.0.1:$PORT_PROXY/v1/chat/completions" \
  >"$RESULTS/wrk.txt" 2>&1 &
WRK_PID=$!
PIDS+=("$WRK_PID")
sleep "$JVM_WARMUP"
START_HEAP=$(heap_after_gc)
log "heap after GC at ${JVM_WARMUP}s: $START_HEAP bytes"
wait "$WRK_PID" || die "wrk failed: $(cat "$RESULTS/wrk.txt")"
sleep 3   # the last log batch
END_HEAP=$(heap_after_gc)
log "heap after GC at the end: $END_HEAP bytes"

kill -0 "$FL_PID" 2>/dev/null || die "Faultline died during the soak"
HEALTH=$(curl -s "$FL_ADMIN/healthz")
python3 - "$RESULTS/wrk.txt" "$START_HEAP" "$END_HEAP" "$TOLERANCE_PCT" "$HEALTH" <<'PY'
import json, re, sys
wrk, start, end, tolerance, health = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
logs = json.loads(health)["logs"]
line = next(l for l in open(wrk) if l.startswith("BENCH "))
d = {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", line)}
growth = (end - start) * 100.0 / start
checks = {
    f"heap after GC {start/2**20:.1f} MiB -> {end/2**20:.1f} MiB ({growth:+.1f}%, limit {tolerance:.0f}%)": growth <= tolerance,
    f"healthz status: {json.loads(health).get('status')}": json.loads(health).get("status") == "ok",
    # Rows written, not rows kept: log_retention_rows (1,000,000 by default) prunes the oldest.
    f"log entries written {logs['written']} for {d['requests']} requests (errors {d['errors']}), "
    f"dropped {logs['dropped']}, failed {logs['failed']}":
        logs["written"] >= d["requests"] - d["errors"] and logs["dropped"] == 0 and logs["failed"] == 0,
}
for what, ok in checks.items():
    print(("PASS " if ok else "FAIL ") + what)
sys.exit(0 if all(checks.values()) else 1)
PY
