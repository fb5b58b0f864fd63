# The report of bench/run, as markdown on stdout: read by lib.sh's wrk_python (which puts its
# parse / load_rounds / med before this file) from the raw outputs bench/run leaves in RESULTS.
# Arguments: RESULTS ROUNDS CONNECTIONS THREADS DURATION FAULTS TTFB_REQUESTS. A section whose
# raw output is missing (left out with SKIP) is left out of the report.
import os
results, rounds, conns, threads, dur, faults, ttfb_n = sys.argv[1], int(sys.argv[2]), *sys.argv[3:]
exists = lambda f: os.path.exists(f"{results}/{f}")
machine = dict(l.rstrip("\n").split("=", 1) for l in open(f"{results}/machine.txt"))
out = []
p = out.append
p("# Faultline benchmark (`bench/run`)")
p("")
p(f"{machine['date']} · commit `{machine['commit']}` · took {machine['minutes']} min")
p("")
p(f"Machine: {machine['cpu']}, {machine['cores']} cores, {machine['ram']} RAM, {machine['kernel']}; "
  f"{machine['java']}; node {machine['node']}; {machine['nginx']}; wrk {machine['wrk']}. "
  f"Load average (1/5/15 min) at start {machine['load_start']}, at end {machine['load_end']}. "
  f"Settings: `{machine['settings']}`. Everything (wrk, nginx, Faultline, Node) shares these cores "
  "on loopback: compare rows with each other, not with other machines.")
busy = float(machine["load_start"].split()[0])
if busy >= int(machine["cores"]):
    p("")
    p(f"**Warning: the machine was busy** (1-min load average {busy:.1f} on {machine['cores']} cores before the run "
      "started): other processes took CPU from the targets, so absolute numbers are low and noisy; ratios within a "
      "round are the more trustworthy figures.")
p("")
p("The load average at the end counts the benchmark's own processes too; per-round requests/s that swing widely "
  "for every target at once mean someone else used the machine meanwhile.")
verdicts = []   # (what, measured, target, ok)

if exists("targets.txt"):
    targets = open(f"{results}/targets.txt").read().split()
    labels = dict(l.rstrip("\n").split("\t", 1) for l in open(f"{results}/labels.tsv"))
    runs = load_rounds(results, rounds, targets)
    ratio = lambda x, y: med([a["rps"] / b["rps"] for a, b in zip(runs[x], runs[y])])
    p("")
    p(f"## Throughput: wrk -t{threads} -c{conns}, {rounds} alternating rounds × {dur} s, medians over rounds")
    p("")
    p("| target | requests/s | p50 ms | p99 ms | ratio to nginx as proxy | per-round requests/s |")
    p("|---|---:|---:|---:|---:|---|")
    for t in targets:
        rs = runs[t]
        if t == "h":
            r = f"{ratio('h', 'a'):.2f} **vs nginx direct**"
        else:
            r = f"{ratio(t, 'b'):.2f}"
        note = ""
        per_round = " ".join(f"{x['rps']:.0f}" for x in rs)
        if t == "f":
            share = sum(x["non2xx"] for x in rs) / sum(x["requests"] for x in rs)
            note = f" ({share:.1%} non-2xx)"
        p(f"| {labels[t]}{note} | {med([x['rps'] for x in rs]):,.0f} | {med([x['p50_us'] for x in rs]) / 1000:.3f} "
          f"| {med([x['p99_us'] for x in rs]) / 1000:.3f} | {r} | {per_round} |")
    p("")
    p("Ratio: per round, the target's requests/s over nginx as reverse proxy's in the same round; the median of "
      "those. The cache-hit row's ratio is against **nginx direct** returning the same bytes. The fault row's "
      f"list is `{faults}`: its 429s are answered by Faultline itself and its delays bound throughput at "
      f"{conns} connections, so its ratio is not an overhead figure.")
    added = med([(c["p50_us"] - b["p50_us"]) / 1000 for c, b in zip(runs["c"], runs["b"])])
    p("")
    p(f"**Added p50 at {conns} connections** (Faultline default settings minus nginx as reverse proxy, median of "
      f"per-round differences): **{added:+.3f} ms**" + ("" if conns == "16" else " (the target is defined at 16)"))
    verdicts += [("pass-through, default settings / nginx as reverse proxy", f"{ratio('c', 'b'):.2f}×", "≥ 0.8×", ratio("c", "b") >= 0.8),
                 ("pass-through, log off / nginx as reverse proxy", f"{ratio('d', 'b'):.2f}×", "≥ 0.9×", ratio("d", "b") >= 0.9),
                 ("cost of the per-request log at saturation (1 − default / log off)", f"{(1 - ratio('c', 'd')) * 100:.0f}%", "< 10%", 1 - ratio("c", "d") < 0.10),
                 ("cache hit / nginx direct", f"{ratio('h', 'a'):.2f}×", "≥ 0.8×", ratio("h", "a") >= 0.8),
                 (f"added p50 at {conns} connections, default settings", f"{added:+.3f} ms", "< 0.2 ms", added < 0.2)]
    if "p" in runs:
        verdicts.append(("Faultline default settings / Portkey gateway", f"{ratio('c', 'p'):.1f}×", "≥ 25×", ratio("c", "p") >= 25))

if exists("ttfb.json"):
    tt = json.load(open(f"{results}/ttfb.json"))
    d, f = tt["direct"], tt["faultline"]
    p("")
    p(f"## Streamed chat completion: time to first byte, {ttfb_n} sequential requests per target, alternating")
    p("")
    p("| target | median ms | p95 ms |")
    p("|---|---:|---:|")
    p(f"| direct to the SSE upstream | {d['median_ms']:.3f} | {d['p95_ms']:.3f} |")
    p(f"| through a Faultline proxy (default settings) | {f['median_ms']:.3f} | {f['p95_ms']:.3f} |")
    am, ap = f["median_ms"] - d["median_ms"], f["p95_ms"] - d["p95_ms"]
    p(f"| **added by Faultline** | **{am:+.3f}** | **{ap:+.3f}** |")
    p("")
    p("Added: Faultline's median (p95) minus the direct one's. "
      "TTFB: from the moment the client writes the request (head and body, one write) to the answer's first body byte (the first event), over a kept-alive "
      "connection. Upstream: `bench/sse-upstream.mjs`, head and first event at once, 10 more events 1 ms apart, usage, `[DONE]`.")
    warmed = {}
    for name in ("direct", "faultline"):
        if exists(f"ttfb-warmup-{name}.txt"):
            line = next((l for l in open(f"{results}/ttfb-warmup-{name}.txt") if l.startswith("BENCH ")), "")
            warmed[name] = dict(kv.split("=") for kv in line.split()[1:]).get("requests", "?")
    if warmed:
        p("")
        p(f"Warm-up, not recorded: {warmed.get('faultline', '?')} streamed requests through Faultline and "
          f"{warmed.get('direct', '?')} direct under wrk load, then the sequential ones the settings name: "
          "the throughput load before this compiled the code for whole answers, not the code that relays a stream.")
    verdicts.append(("streamed answer: added time to first byte, median / p95", f"{am:+.3f} / {ap:+.3f} ms",
                     "< 0.3 / < 1 ms", am < 0.3 and ap < 1))

if exists("scale.tsv"):
    rows = [l.split("\t") for l in open(f"{results}/scale.tsv").read().splitlines()]
    p("")
    p("## Scale: proxies (provider `openai`, default settings), one Faultline started by `dist/bin/faultline` (its 512 MB heap)")
    p("")
    p("| proxies | RSS after GC, after creating them (MiB) | RSS after GC, after a restart (MiB) | restart until all listen (s) |")
    p("|---:|---:|---:|---:|")
    for n, a, b, s in rows:
        p(f"| {int(n):,} | {float(a):.0f} | {float(b):.0f} | {float(s):.2f} |")
    created = [l.split("\t") for l in open(f"{results}/scale-create-{rows[-1][0]}.txt").read().splitlines()]
    ms = [float(c[1]) for c in created]
    # "at the start": the second k creations, so that the JVM's own warm-up (the first ones) does
    # not pass for a cost that later shrinks and hide a growth
    k = min(50, max(1, len(ms) // 4))
    first, last = med(ms[k:2 * k]), med(ms[-k:])
    p("")
    p(f"Creating {len(ms):,} proxies through the admin API, one `POST /api/proxies` after the other: "
      f"**{sum(ms) / 1000:.1f} s** in all; per proxy, median of creations {k + 1}–{2 * k}: **{first:.1f} ms**, of the last {k}: "
      f"**{last:.1f} ms** ({'growing' if last > 1.5 * first else 'flat'}). Per hundred: "
      + ", ".join(f"{med(ms[i:i + 100]):.1f}" for i in range(0, len(ms), 100)) + " ms (medians).")
    p(f"RSS: `jcmd <pid> GC.run`, then {os.environ.get('SETTLE', '11')} s of rest, then VmRSS from /proc/<pid>/status. Restart: from launching `java` until every proxy port "
      "accepts a connection. Each count on a fresh data dir and a fresh JVM (so the first creations include its JIT warm-up).")
    n, a, b, s = rows[-1]
    if int(n) >= 1000:
        verdicts += [(f"creating {len(ms):,} proxies", f"{sum(ms) / 1000:.1f} s, {first:.1f} → {last:.1f} ms per proxy", "linear, < 3 s", sum(ms) < 3000 and last <= 1.5 * first),
                     (f"{int(n):,} proxies: RSS after GC (after restart) / restart until all listen", f"{float(b):.0f} MiB / {float(s):.2f} s", "< 150 MB / < 2 s", float(b) * 1.048576 < 150 and float(s) < 2)]

if exists("writer.txt"):
    w = [dict(re.findall(r"(\w+)=([\d.]+)", l)) for l in open(f"{results}/writer.txt") if l.startswith("WRITER")]
    rates = [float(x["rows_per_s"]) for x in w]
    sustained = med(rates[1:]) if len(rates) > 1 else rates[0]
    lost = sum(int(x["dropped"]) + int(x["failed"]) for x in w)
    p("")
    p(f"## Log writer alone: **{sustained:,.0f} rows/s** into SQLite (median of rounds after the first; per round: "
      + ", ".join(f"{r:,.0f}" for r in rates) + f"; {int(w[0]['rows']):,} rows a round" + (f"; **{lost} rows lost**" if lost else "") + ")")
    verdicts.append(("log writer alone", f"{sustained:,.0f} rows/s", "≥ 250k rows/s", sustained >= 250_000 and not lost))

if exists("health.json"):
    logs = json.load(open(f"{results}/health.json")).get("logs", {})
    p("")
    p(f"Faultline's log pipeline after the load: `{json.dumps(logs)}`")

if verdicts:
    p("")
    p("## Against the targets of issue 13")
    p("")
    p("| what | measured | target | |")
    p("|---|---|---|---|")
    for what, got, target, good in verdicts:
        p(f"| {what} | {got} | {target} | {'met' if good else '**not met**'} |")
print("\n".join(out))
