// `node_modules/.bin/node bench/scripts/alloc-probe.ts [--requests 3000] [--runs 3] [--top 25]
//   [--port-base 19100] [--tree <repo>] [--cpu-profile]`: what one non-streamed request costs
// `switchback serve` (the production bundle of `--tree`, default this repo, the bench config, the
// bench's `--max-semi-space-size=2`), the request the bench's fixed-rate and max phases send, 8 in flight
// from a Node client against the zero-delay simulator. Per run:
//   - CPU µs per request: serve's utime + stime from /proc over `--requests` requests, without a
//     profiler running (noisy: other work on the machine moves it), every run's batch before
//     any is sampled;
//   - allocation KB per request: V8's sampling heap profiler through the inspector, objects
//     collected by minor and major GCs included (what the machine's load does not move), over
//     the same number of requests;
// then the top allocation sites of the last run, by the bundle's source file (through the
// bundle's source map; for a tree whose bundle has none, esbuild's `// path` comments) and by
// function. Ports: `--port-base` and the two after it (127.0.0.1).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { SourceMap } from 'node:module';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { waitHealthy } from '../../loadtests/src/stack/wait-healthy.ts';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '3000' },
    runs: { type: 'string', default: '3' },
    top: { type: 'string', default: '25' },
    'port-base': { type: 'string', default: '19100' },
    tree: { type: 'string' },
    // Also a CPU profile (the inspector's sampling profiler) over one more batch: self time by file.
    'cpu-profile': { type: 'boolean', default: false },
  },
});
const REQUESTS = Number(values.requests);
const RUNS = Number(values.runs);
const TOP = Number(values.top);
const BASE = Number(values['port-base']);
const HERE = new URL('../..', import.meta.url).pathname;
const TREE = resolve(values.tree ?? HERE);
const HOST = '127.0.0.1';
const IN_FLIGHT = 8;
const SIM_PORT = BASE;
const SERVE_PORT = BASE + 1;
const INSPECT_PORT = BASE + 2;
const BODY = JSON.stringify({
  model: 'auto',
  messages: [
    { role: 'system', content: 'You are a concise assistant.' },
    { role: 'user', content: 'Say hello in one short sentence.' },
  ],
});

const node = process.execPath;
const children: number[] = [];
const stopAll = () => {
  for (const pid of children) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // Already gone.
    }
  }
};
process.on('exit', stopAll);

/** Starts a server of the tree and waits until `health` answers 2xx. */
const start = async (name: string, args: string[], env: NodeJS.ProcessEnv, health: string) => {
  const child = spawn(node, args, { cwd: TREE, env: { ...process.env, ...env }, stdio: 'ignore' });
  if (child.pid === undefined) throw new Error(`could not start ${args.join(' ')}`);
  children.push(child.pid);
  const exited = new Promise((done) => child.once('exit', done));
  await waitHealthy(health, { timeoutMs: 60_000, exited, name });
  return child.pid;
};

/** utime + stime of a process, in µs (clock ticks of 10 ms). */
const cpuUs = (pid: number): number => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
};

const agent = new Agent({ keepAlive: true, maxSockets: IN_FLIGHT });
const one = (): Promise<void> =>
  new Promise((done, fail) => {
    const req = request(
      {
        agent,
        host: HOST,
        port: SERVE_PORT,
        method: 'POST',
        path: '/v1/chat/completions',
        headers: {
          authorization: 'Bearer sk-local-demo',
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(BODY),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () =>
          res.statusCode === 200 ? done() : fail(new Error(`status ${res.statusCode}`)),
        );
      },
    );
    req.on('error', fail);
    req.end(BODY);
  });

const drive = async (count: number): Promise<void> => {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next++;
      await one();
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
};

/** One DevTools protocol session over the inspector's WebSocket. */
const inspect = async (port: number) => {
  const list = (await (await fetch(`http://${HOST}:${port}/json/list`)).json()) as {
    webSocketDebuggerUrl: string;
  }[];
  const url = list[0]?.webSocketDebuggerUrl;
  if (url === undefined) throw new Error('no inspector target');
  const socket = new WebSocket(url);
  await new Promise((done, fail) => {
    socket.onopen = done;
    socket.onerror = fail;
  });
  let id = 0;
  const pending = new Map<number, (result: unknown) => void>();
  socket.onmessage = (event) => {
    const message = JSON.parse(String(event.data)) as { id?: number; result?: unknown };
    if (message.id !== undefined) pending.get(message.id)?.(message.result);
  };
  return {
    send: <T>(method: string, params: object = {}): Promise<T> =>
      new Promise((done) => {
        id++;
        pending.set(id, done as (result: unknown) => void);
        socket.send(JSON.stringify({ id, method, params }));
      }),
    close: () => socket.close(),
  };
};

type Frame = { functionName: string; url: string; lineNumber: number; columnNumber: number };
type ProfileNode = { callFrame: Frame; selfSize: number; children: ProfileNode[] };

/** Which source file (and its line, when known) a position of the bundle (0-based) came from. */
type Locate = (line: number, column: number) => { file: string; line?: number };

/** A source path as the tables show it: relative to the repo, packages as `nm:<name>/…`. */
const shortPath = (path: string): string =>
  path
    .replace(/^file:\/\//, '')
    .replace(/^(\.\.\/)+/, '')
    .replace(/^.*?\/node_modules\//, 'nm:')
    .replace(/^node_modules\//, 'nm:');

/**
 * The bundle's source map when it has one (the production build writes it beside the bundle);
 * else the `// <path>` comment esbuild heads each module with in an unminified bundle.
 */
const locatorOf = (bundle: string): Locate => {
  const mapPath = `${bundle}.map`;
  if (existsSync(mapPath)) {
    const map = new SourceMap(JSON.parse(readFileSync(mapPath, 'utf8')));
    return (line, column) => {
      const entry = map.findEntry(line, column);
      return 'originalSource' in entry
        ? { file: shortPath(entry.originalSource), line: entry.originalLine + 1 }
        : { file: '(bundle)' };
    };
  }
  const heads: { line: number; file: string }[] = [];
  readFileSync(bundle, 'utf8')
    .split('\n')
    .forEach((text, line) => {
      const match = /^\/\/ ((?:\.\.\/)*[\w@./-]+\.(?:ts|js|mjs|cjs|json))$/.exec(text);
      if (match?.[1] !== undefined) heads.push({ line, file: match[1] });
    });
  return (line) => {
    let lo = 0;
    let hi = heads.length - 1;
    let found = '(bundle head)';
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const entry = heads[mid] as { line: number; file: string };
      if (entry.line <= line) {
        found = entry.file;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return { file: shortPath(found) };
  };
};

const siteOf = (frame: Frame, bundle: string, locate: Locate) => {
  if (!frame.url.endsWith(bundle)) {
    return { file: frame.url === '' ? '(native)' : frame.url, fn: frame.functionName || '(anon)' };
  }
  const { file, line } = locate(frame.lineNumber, frame.columnNumber);
  return {
    file,
    fn: `${frame.functionName || '(anon)'} ${file}${line === undefined ? '' : `:${line}`}`,
  };
};

const top = (totals: Map<string, number>, count: number, per: number): string[] =>
  [...totals.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, bytes]) => `${(bytes / per / 1024).toFixed(2).padStart(8)} KB  ${name}`);

type CpuNode = { id: number; callFrame: Frame; hitCount?: number };

/** Self time of one batch of requests, by the file (bundle module or Node's) and by function. */
const cpuProfile = async (
  session: Awaited<ReturnType<typeof inspect>>,
  bundle: string,
  locate: Locate,
) => {
  await session.send('Profiler.enable');
  await session.send('Profiler.setSamplingInterval', { interval: 200 });
  await session.send('Profiler.start');
  await drive(REQUESTS);
  const { profile } = await session.send<{ profile: { nodes: CpuNode[] } }>('Profiler.stop');
  const byFile = new Map<string, number>();
  const byFn = new Map<string, number>();
  let total = 0;
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    if (hits === 0) continue;
    const site = siteOf(node.callFrame, bundle, locate);
    total += hits;
    byFile.set(site.file, (byFile.get(site.file) ?? 0) + hits);
    byFn.set(site.fn, (byFn.get(site.fn) ?? 0) + hits);
  }
  const share = (totals: Map<string, number>) =>
    [...totals.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, TOP)
      .map(([name, hits]) => `${((100 * hits) / total).toFixed(1).padStart(6)} %  ${name}`)
      .join('\n');
  console.log(`\nCPU self time by file (samples, idle included):\n${share(byFile)}`);
  console.log(`\nCPU self time by function:\n${share(byFn)}`);
};

const main = async () => {
  mkdirSync(join(TREE, 'regional/dist'), { recursive: true });
  const dist = mkdtempSync(join(TREE, 'regional/dist/alloc-probe-'));
  const bundle = join(dist, 'switchback.mjs');
  execFileSync(node, ['regional/scripts/build.ts', '--outfile', bundle], { cwd: TREE });
  const locate = locatorOf(bundle);
  await start(
    'simulator',
    ['loadtests/src/sim/main.ts'],
    {
      NODE_ENV: 'production',
      PROVIDERS_PORT: String(SIM_PORT),
      SIM_TTFT_MS: '0',
      SIM_ITL_MS: '0',
      SIM_TOKENS: '16',
    },
    `http://${HOST}:${SIM_PORT}/_sim/stats`,
  );
  const serve = await start(
    'switchback serve',
    [
      `--inspect=${HOST}:${INSPECT_PORT}`,
      '--max-semi-space-size=2',
      bundle,
      'serve',
      '--config',
      join(TREE, 'bench/bench.config.yaml'),
      '--port',
      String(SERVE_PORT),
    ],
    { NODE_ENV: 'production', PROVIDERS_URL: `http://${HOST}:${SIM_PORT}` },
    `http://${HOST}:${SERVE_PORT}/healthz`,
  );
  const session = await inspect(INSPECT_PORT);
  await drive(1_000); // warm-up: the JIT, the pools, the caches
  const bySite = new Map<string, number>();
  const byFile = new Map<string, number>();
  // Node's and V8's own frames counted against the nearest bundle file that called them.
  const byOwner = new Map<string, number>();
  // Every CPU batch first: a batch run after a sampled one cost ≈ 15 % more CPU in the same
  // process (likely the code compiled while the heap sampler ran, on slower allocation paths).
  const cpus: number[] = [];
  for (let run = 1; run <= RUNS; run++) {
    const before = cpuUs(serve);
    await drive(REQUESTS);
    cpus.push((cpuUs(serve) - before) / REQUESTS);
  }
  for (let run = 1; run <= RUNS; run++) {
    const cpu = cpus[run - 1] as number;
    await session.send('HeapProfiler.startSampling', {
      samplingInterval: 4096,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    });
    await drive(REQUESTS);
    const { profile } = await session.send<{ profile: { head: ProfileNode } }>(
      'HeapProfiler.stopSampling',
    );
    let total = 0;
    for (const map of [bySite, byFile, byOwner]) map.clear();
    const walk = (node: ProfileNode, owner: string) => {
      total += node.selfSize;
      const site = siteOf(node.callFrame, bundle, locate);
      const own = node.callFrame.url.endsWith(bundle) ? site.file : owner;
      if (node.selfSize > 0) {
        bySite.set(site.fn, (bySite.get(site.fn) ?? 0) + node.selfSize);
        byFile.set(site.file, (byFile.get(site.file) ?? 0) + node.selfSize);
        byOwner.set(own, (byOwner.get(own) ?? 0) + node.selfSize);
      }
      for (const child of node.children) walk(child, own);
    };
    walk(profile.head, '(no bundle frame)');
    const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
    console.log(
      `run ${run}: ${(total / REQUESTS / 1024).toFixed(1)} KB allocated per request, ` +
        `${cpu.toFixed(0)} µs CPU per request (${REQUESTS} requests, load ${load})`,
    );
  }
  const table = (title: string, totals: Map<string, number>) =>
    console.log(`\n${title} (last run, KB per request):\n${top(totals, TOP, REQUESTS).join('\n')}`);
  table('by the nearest bundle file up the stack', byOwner);
  table('top files', byFile);
  table('top sites', bySite);
  if (values['cpu-profile']) await cpuProfile(session, bundle, locate);
  session.close();
  agent.destroy();
  stopAll();
  rmSync(dist, { recursive: true, force: true });
};

await main();
