// Runs the Portkey AI gateway (@portkey-ai/gateway, from bench/package.json) on loopback only:
// its start-server.js listens on every interface and has no option for the address, so the
// port it is given (--port=N) is bound on 127.0.0.1 by wrapping net.Server#listen before the
// gateway loads. Nothing else of the gateway is changed. Usage: node portkey.mjs --port=N --headless
import net from 'node:net';

const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  if (typeof args[0] === 'number') {
    const rest = args.slice(1).filter((a) => a !== undefined);
    if (typeof rest[0] !== 'string') rest.unshift('127.0.0.1');
    args = [args[0], ...rest];
  }
  return listen.apply(this, args);
};
await import(new URL('./node_modules/@portkey-ai/gateway/build/start-server.js', import.meta.url));
