// The floor target of the side-by-side benchmark: `node bench/floor/main.js <port> <upstream>`,
// where upstream is the full chat-completions URL to forward to (see bare-proxy.js).
import { createBareProxy } from './bare-proxy.js';

const [port, upstream] = process.argv.slice(2);
if (port === undefined || upstream === undefined) {
  console.error('usage: node bench/floor/main.js <port> <upstream chat-completions URL>');
  process.exit(2);
}
createBareProxy(upstream).listen(Number(port), '127.0.0.1', () => {
  console.log(`floor: bare proxy on 127.0.0.1:${port} → ${upstream}`);
});
