#!/usr/bin/env bash
# Cluster benchmark, on loopback:
#   (b) nginx as a load balancer in front of ONE Faultline node   (node1 of the cluster)
#   (c) nginx as a load balancer in front of TWO clustered nodes  (node1 + node2, round robin)
# both proxying to (a), nginx returning a fixed chat completion; wrk in alternating rounds b -> c.
# Then the time a change takes to reach every node: a fault set through node1's admin API,
# until node2's proxy answers with it (and back), PROPAGATIONS times.
# Needs PostgreSQL (initdb/pg_ctl on PATH or in /usr/lib/postgresql/*/bin) for the shared store.
# On one machine both nodes share its cores: (c) says what the balancing and the cluster cost,
# not how a second machine would scale. See bench/README.md.
set -euo pipefail

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-5}
JVM_WARMUP=${JVM_WARMUP:-10}
CONNECTIONS=${CONNECTIONS:-16}
THREADS=${THREADS:-2}
NGINX_WORKERS=${NGINX_WORKERS:-1}
PROPAGATIONS=${PROPAGATIONS:-10}
JAVA_OPTS=${JAVA_OPTS:-}
KEEP=${KEEP:-0}
HEALTH_TIMEOUT=${HEALTH_TIMEOUT:-120}

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
LOG_TAG=bench-cluster

require_tools
[ -f "$JAR" ] || { log "building dist"; (cd "$ROOT" && mvn -B -q package -DskipTests) || die "maven build failed"; }
find_pg() {
  local dir
  for dir in "" /usr/lib/postgresql/*/bin/ /usr/local/pgsql/bin/; do
    if command -v "${dir}initdb" >/dev/null 2>&1 && command -v "${dir}pg_ctl" >/dev/null 2>&1; then
      INITDB="${dir}initdb"; PG_CTL="${dir}pg_ctl"; return 0
    fi
  done
  return 1
}
find_pg || die "PostgreSQL's initdb and pg_ctl are needed (apt-get install postgresql)"

setup_work_dirs faultline-bench-cluster faultline-bench-cluster-raw
PG_DATA=""
AS_PG=()
PG_HOME=""
save_logs() {
  for n in 1 2; do [ -f "$WORK/node$n.log" ] && tail -n 500 "$WORK/node$n.log" >"$RESULTS/node$n.log"; done
  [ -z "$PG_DATA" ] || "${AS_PG[@]}" "$PG_CTL" -D "$PG_DATA" -m fast stop >/dev/null 2>&1 || true
  [ -z "$PG_DATA" ] || [ "$PG_HOME" = "$WORK" ] || [ "$KEEP" = 1 ] || rm -rf "$PG_HOME"
}

read -r PORT_A PORT_B PORT_C PORT_PROXY PORT_PG ADMIN1 ADMIN2 HZ1 HZ2 _ < <(free_ports 10)

# ---------------------------------------------------------------- PostgreSQL
# PostgreSQL will not run as root: then as the system's postgres user, in a folder of its own.
AS_PG=(); PG_HOME="$WORK"
if [ "$(id -u)" -eq 0 ]; then
  id postgres >/dev/null 2>&1 || die "as root, PostgreSQL needs a postgres user"
  PG_HOME=$(mktemp -d "${TMPDIR:-/tmp}/faultline-bench-cluster-pg.XXXXXX"); chown postgres "$PG_HOME"
  AS_PG=(runuser -u postgres --)
fi
PG_DATA="$PG_HOME/postgres"
printf 'bench\n' >"$PG_HOME/pg-password"; chmod 644 "$PG_HOME/pg-password"
"${AS_PG[@]}" "$INITDB" -D "$PG_DATA" -U bench --pwfile="$PG_HOME/pg-password" -A scram-sha-256 >"$WORK/initdb.log" 2>&1 \
  || { cat "$WORK/initdb.log" >&2; die "initdb failed"; }
"${AS_PG[@]}" "$PG_CTL" -D "$PG_DATA" -l "$PG_HOME/postgres.log" -o "-p $PORT_PG -k $PG_HOME -c listen_addresses=127.0.0.1" \
  -w start >/dev/null
PGPASSWORD=bench psql -h 127.0.0.1 -p "$PORT_PG" -U bench -d postgres -qc 'CREATE DATABASE faultline' \
  || die "could not create the database"

# ---------------------------------------------------------------- origin and the two nodes
RESPONSE_JSON='{"id":"chatcmpl-BenchCluster","object":"chat.completion","created":1732600000,"model":"gpt-4o-mini","choices":[{"index":0,"message":{"role":"assistant","content":"Hello from the cluster benchmark."},"finish_reason":"stop"}],"usage":{"prompt_tokens":28,"completion_tokens":8,"total_tokens":36}}'
write_wrk_lua "$WORK/post.lua"
write_nginx_conf "$WORK/nginx-origin" "$NGINX_WORKERS" "$(origin_server "$PORT_A" "$RESPONSE_JSON")"
start_nginx "$WORK/nginx-origin"

snapshot_dist
TOKEN="flt_bench$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')"
AUTH="Authorization: Bearer $TOKEN"
SECRET=$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')
start_node() {  # $1 node number, $2 host, $3 admin port, $4 Hazelcast port
  mkdir -p "$WORK/node$1"
  # shellcheck disable=SC2086
  ( cd "$WORK/node$1" && FAULTLINE_HOST=$2 FAULTLINE_ADMIN_PORT=$3 FAULTLINE_DEMO_PORT=off \
      FAULTLINE_DATA_DIR="$WORK/node$1/data" FAULTLINE_NODE_ID="node$1" \
      FAULTLINE_STORE_URL="jdbc:postgresql://127.0.0.1:$PORT_PG/faultline" FAULTLINE_STORE_USER=bench \
      FAULTLINE_STORE_PASSWORD=bench FAULTLINE_SESSION_SECRET=$SECRET \
      FAULTLINE_ADMIN_EMAIL=bench@faultline.local FAULTLINE_ADMIN_PASSWORD="$TOKEN" FAULTLINE_ADMIN_TOKEN="$TOKEN" \
      FAULTLINE_CLUSTER_ENABLED=true FAULTLINE_CLUSTER_MEMBERS="127.0.0.1:$HZ1,127.0.0.1:$HZ2" \
      FAULTLINE_CLUSTER_HOST=127.0.0.1 FAULTLINE_CLUSTER_PORT=$4 \
      exec java $JAVA_OPTS -jar "$WORK/dist/faultline.jar" ) >"$WORK/node$1.log" 2>&1 &
  PIDS+=($!)
  local pid=$! deadline=$((SECONDS + HEALTH_TIMEOUT))
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://$2:$3/healthz" 2>/dev/null)" = 200 ]; do
    kill -0 "$pid" 2>/dev/null || { tail -n 30 "$WORK/node$1.log" >&2; die "node$1 exited before /healthz answered"; }
    [ $SECONDS -lt $deadline ] || die "node$1 /healthz not 200 after ${HEALTH_TIMEOUT}s"
    sleep 0.3
  done
  log "node$1 up on $2 (admin $3, Hazelcast $4)"
}
start_node 1 127.0.0.1 "$ADMIN1" "$HZ1"
start_node 2 127.0.0.2 "$ADMIN2" "$HZ2"

out=$(curl -s -X POST "http://127.0.0.1:$ADMIN1/api/proxies" -H "$AUTH" -H 'Content-Type: application/json' \
  -d "{\"name\":\"bench\",\"provider\":\"openai\",\"upstream\":\"http://127.0.0.1:$PORT_A\",\"port\":$PORT_PROXY}")
ID=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["id"])' "$out") || die "creating the proxy failed: $out"
for h in 127.0.0.1 127.0.0.2; do
  code=$(post_until_200 "http://$h:$PORT_PROXY/v1/chat/completions" -o /dev/null) || die "the proxy on $h answered $code"
done
log "proxy $ID answers on both nodes"

# ---------------------------------------------------------------- the balancers
lb() {  # $1 dir, $2 port, $3.. upstream hosts
  local dir=$1 port=$2 servers=""
  shift 2
  for h in "$@"; do servers+="    server $h:$PORT_PROXY;"$'\n'; done
  write_nginx_conf "$dir" "$NGINX_WORKERS" "
  upstream nodes {
$servers    keepalive 64;
  }
  server {
    listen 127.0.0.1:$port;
    location / { proxy_pass http://nodes; proxy_http_version 1.1; proxy_set_header Connection \"\"; }
  }"
  start_nginx "$dir"
}
lb "$WORK/nginx-one" "$PORT_B" 127.0.0.1
lb "$WORK/nginx-two" "$PORT_C" 127.0.0.1 127.0.0.2
declare -A URL=([b]="http://127.0.0.1:$PORT_B/v1/chat/completions" [c]="http://127.0.0.1:$PORT_C/v1/chat/completions")
for t in b c; do post_until_200 "${URL[$t]}" -o /dev/null >/dev/null || die "balancer $t does not answer"; done

log "warm-up ${JVM_WARMUP}s through both nodes"
run_wrk "$WORK/post.lua" "${URL[c]}" "$JVM_WARMUP" "$RESULTS/warmup.txt" "warm-up"
for r in $(seq "$ROUNDS"); do
  for t in b c; do
    run_wrk "$WORK/post.lua" "${URL[$t]}" "$DURATION" "$RESULTS/round$r-$t.txt" "$t"
    log_round "$r" "$t" "$RESULTS/round$r-$t.txt"
  done
done

# ---------------------------------------------------------------- propagation
now_ms() { date +%s%3N; }
faults() {  # $1: JSON list of faults, set through node1
  curl -s -o /dev/null -w '%{http_code}' -X PUT "http://127.0.0.1:$ADMIN1/api/proxies/$ID/faults" -H "$AUTH" \
    -H 'Content-Type: application/json' -d "$1"
}
until_status() {  # until node2's proxy answers $1; prints the ms it took since $2
  local deadline=$((SECONDS + 10))
  until [ "$(curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.2:$PORT_PROXY/v1/chat/completions" \
      -H 'Content-Type: application/json' -H 'Authorization: Bearer sk-bench' -d "$REQUEST_JSON")" = "$1" ]; do
    [ $SECONDS -lt $deadline ] || die "node2 did not answer $1 within 10 s"
  done
  echo $(($(now_ms) - $2))
}
: >"$RESULTS/propagation.txt"
for _ in $(seq "$PROPAGATIONS"); do
  start=$(now_ms); [ "$(faults '[{"strategy":"http-error","rate":1,"params":{"status":503}}]')" = 200 ] || die "PUT faults failed"
  until_status 503 "$start" >>"$RESULTS/propagation.txt"
  start=$(now_ms); [ "$(faults '[]')" = 200 ] || die "PUT faults failed"
  until_status 200 "$start" >>"$RESULTS/propagation.txt"
done

echo
wrk_python "$RESULTS" "$ROUNDS" "$CONNECTIONS" "$THREADS" "$DURATION" <<'EOF'
results, rounds, conns, threads, dur = sys.argv[1], int(sys.argv[2]), *sys.argv[3:]
runs = load_rounds(results, rounds, ["b", "c"])
labels = {"b": "LB -> 1 node   (b)", "c": "LB -> 2 nodes  (c)"}
print(f"Cluster on loopback: wrk -t{threads} -c{conns}, {rounds} rounds x {dur}s, medians over rounds")
table(runs, labels, 20)
r = med([c["rps"] / b["rps"] for b, c in zip(runs["b"], runs["c"])])
print(f"\n2 nodes / 1 node req/s (median of per-round ratios): {r:.2f}  (one machine: both nodes share its cores)")
ms = sorted(int(l) for l in open(f"{results}/propagation.txt") if l.strip())
print(f"a change through node1 reaching node2 (PUT answered -> node2's proxy answers with it), {len(ms)} changes: "
      f"median {med(ms)} ms, max {ms[-1]} ms (includes one curl round trip per poll)")
EOF
echo
echo "raw wrk outputs: $RESULTS"
