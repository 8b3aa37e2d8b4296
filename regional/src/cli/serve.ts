import { type Env, startRegionalServer } from '../index.ts';
import { createConfigReloader } from '../reload/config-reloader.ts';
import { loadLiveConfig } from '../reload/load-live-config.ts';
import { operatorIdentity } from '../reload/operator.ts';
import { batchedLines } from './batched-lines.ts';
import { type CliIo, processIo } from './cli-io.ts';

export type ServeOptions = {
  io?: CliIo;
  env?: Env;
  /** The config used without `--config` (`node regional/src/main.ts` passes the repo's). */
  defaultConfigPath?: string;
  /** Resolves when the service should stop; SIGINT or SIGTERM by default. */
  stopSignal?: Promise<unknown>;
  /** Called once the server listens (tests read the port from it). */
  onListening?: (url: string) => void;
};

const USAGE = 'usage: switchback serve --config <file> [--port N] [--host H]';

type Parsed = { config?: string; port?: string; host?: string };

const parseArgs = (args: readonly string[]): Parsed | string => {
  const parsed: Parsed = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? arg.split('=', 2) : [arg];
    const name = flag?.slice(2);
    if (name !== 'config' && name !== 'port' && name !== 'host') return `unknown argument "${arg}"`;
    const value = inline ?? args[++i];
    if (value === undefined || value === '') return `--${name} needs a value`;
    parsed[name] = value;
  }
  return parsed;
};

const portOf = (raw: string | undefined): number | string => {
  if (raw === undefined) return 8788;
  const port = Number(raw);
  return Number.isInteger(port) && port >= 0 && port <= 65535
    ? port
    : `port must be an integer from 0 to 65535, got "${raw}"`;
};

const signals = (): Promise<NodeJS.Signals> =>
  new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });

/**
 * `switchback serve --config <file> [--port N] [--host H]`: the regional service as the front
 * door. Port from `--port`, else `REGIONAL_PORT`, else 8788; the edge's shared secret from
 * `SWITCHBACK_HMAC_SECRET`; local provider URLs moved to `PROVIDERS_URL` when it is set. One JSON
 * log line per request on stdout. The config is reloaded on SIGHUP and when its file changes
 * (validated first; a bad one is refused and logged); `rollout` runs a canary. Resolves with the
 * exit code after SIGINT / SIGTERM.
 */
export const serveCommand = async (args: string[], options: ServeOptions = {}): Promise<number> => {
  const io = options.io ?? processIo();
  const env = options.env ?? process.env;
  const parsed = parseArgs(args);
  if (typeof parsed === 'string') {
    io.err(`switchback serve: ${parsed}\n${USAGE}`);
    return 2;
  }
  const configPath = parsed.config ?? options.defaultConfigPath;
  if (configPath === undefined) {
    io.err(`switchback serve: --config is required\n${USAGE}`);
    return 2;
  }
  const port = portOf(parsed.port ?? env.REGIONAL_PORT);
  if (typeof port === 'string') {
    io.err(`switchback serve: ${port}`);
    return 2;
  }
  const loaded = await loadLiveConfig(io, configPath, env.PROVIDERS_URL);
  if (!loaded.ok) {
    io.err(`switchback serve: ${configPath} is not a valid config:`);
    for (const issue of loaded.issues) io.err(`  ${issue.path}: ${issue.message}`);
    return 1;
  }
  const { config, candidate } = loaded.live;
  // Request lines go out in batches (one write per 25 ms, not per request); any other line
  // writes the batch first, so the order holds.
  const requestLines = batchedLines((lines) => {
    if (io.outLines) io.outLines(lines);
    else for (const line of lines) io.out(line);
  });
  const log = (entry: Record<string, unknown>) => {
    if (entry.msg === 'request') requestLines.push(JSON.stringify(entry));
    else {
      requestLines.flush();
      io.out(JSON.stringify(entry));
    }
  };
  // Registered before listening, so a signal during startup still stops cleanly.
  const stop = options.stopSignal ?? signals();
  let server: Awaited<ReturnType<typeof startRegionalServer>>;
  try {
    server = await startRegionalServer({
      config,
      candidate,
      port,
      host: parsed.host ?? env.REGIONAL_HOST ?? '127.0.0.1',
      hmacSecret: env.SWITCHBACK_HMAC_SECRET,
      env,
      log,
    });
  } catch (error) {
    io.err(`switchback serve: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
  // A crash or process.exit must not lose the last requests' lines.
  process.on('exit', requestLines.flush);
  log({
    ts: new Date().toISOString(),
    level: 'info',
    msg: 'listening',
    url: server.url,
    config: configPath,
    config_version: config.version,
    ...(candidate === undefined
      ? {}
      : { canary: `${candidate.config.version} at ${candidate.percent}%` }),
    escalations: env.SWITCHBACK_HMAC_SECRET ? 'signed' : 'refused (no SWITCHBACK_HMAC_SECRET)',
  });
  // Hot reload: on SIGHUP and when the file changes; a bad file is refused and logged.
  const reloader = createConfigReloader({
    path: configPath,
    io,
    live: server.live,
    operator: operatorIdentity(env),
    sha256: loaded.sha256,
    providersUrl: env.PROVIDERS_URL,
    log,
    audit: server.audit,
  });
  reloader.watch();
  options.onListening?.(server.url);
  const signal = await stop;
  log({ ts: new Date().toISOString(), level: 'info', msg: 'stopping', signal: String(signal) });
  reloader.stop();
  await server.close();
  requestLines.flush();
  process.off('exit', requestLines.flush);
  return 0;
};
