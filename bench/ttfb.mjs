// Time to first byte of a streamed chat completion, for bench/run: sends N requests one after
// the other to each of the given targets, alternating between them (so that a noisy moment hits
// all alike), each over its own kept-alive connection, after WARMUP un-recorded requests each.
// TTFB = from the request being written to the first byte of the answer's BODY (the first
// event), not its head: a hop that sent its head early but held the events back must not look fast.
// Checks every answer (200, text/event-stream, ends with [DONE]) and exits 1 naming the target
// otherwise. Prints one JSON object: {label: {n, median_ms, p95_ms, samples_ms}}.
// Usage: node ttfb.mjs N WARMUP BODY_JSON label=url [label=url ...]
import http from 'node:http';

const [n, warmup, body, ...targets] = process.argv.slice(2);
const runs = targets.map((t) => {
  const i = t.indexOf('=');
  return { label: t.slice(0, i), url: new URL(t.slice(i + 1)), agent: new http.Agent({ keepAlive: true, maxSockets: 1 }), ms: [] };
});

function once(target) {
  return new Promise((resolve, reject) => {
    let start;
    let first = null;
    let text = '';
    const req = http.request(target.url, {
      method: 'POST', agent: target.agent,
      headers: { 'content-type': 'application/json', authorization: 'Bearer sk-bench', 'content-length': Buffer.byteLength(body) },
    }, (res) => {
      res.setEncoding('utf8');
      res.on('data', (d) => { if (first === null) first = process.hrtime.bigint(); text += d; });
      res.on('end', () => {
        if (res.statusCode !== 200) return reject(new Error(`${target.label} answered HTTP ${res.statusCode}: ${text.slice(0, 300)}`));
        if (!String(res.headers['content-type']).startsWith('text/event-stream')) return reject(new Error(`${target.label} answered ${res.headers['content-type']}, not text/event-stream`));
        if (!text.trimEnd().endsWith('data: [DONE]')) return reject(new Error(`${target.label}'s stream did not end with data: [DONE]: …${text.slice(-200)}`));
        resolve(Number(first - start) / 1e6);
      });
      res.on('error', reject);
    });
    req.on('error', (e) => reject(new Error(`${target.label}: ${e.message}`)));
    // Timed from just before the request is written, not from end()'s callback: that callback
    // runs on a later turn of Node's loop, often after a fast answer had already arrived, which
    // made the direct target's median swing from 0.06 to 0.38 ms between runs.
    start = process.hrtime.bigint();
    req.end(body);
  });
}

const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]; };

try {
  for (let i = 0; i < Number(warmup); i++) for (const t of runs) await once(t);
  for (let i = 0; i < Number(n); i++) for (const t of runs) t.ms.push(await once(t));
} catch (e) {
  console.error(`ttfb: ${e.message}`);
  process.exit(1);
}
const out = {};
for (const t of runs) out[t.label] = { n: t.ms.length, median_ms: pct(t.ms, 50), p95_ms: pct(t.ms, 95), samples_ms: t.ms };
console.log(JSON.stringify(out));
for (const t of runs) t.agent.destroy();
