// `npm start`: the local stack with simulated providers, a printed example, Ctrl-C stops it all.
import { startStack } from '../loadtests/src/stack/index.ts';

const port = (name: string, fallback: number): number => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 65_535) {
    console.error(`switchback: ${name}=${raw} is not a port number (1-65535)`);
    process.exit(1);
  }
  return value;
};

const ports = {
  edge: port('EDGE_PORT', 8787),
  regional: port('REGIONAL_PORT', 8788),
  providers: port('PROVIDERS_PORT', 8789),
};

const started = Date.now();
console.log('switchback: starting simulated providers, regional and edge…');
let stack: Awaited<ReturnType<typeof startStack>>;
try {
  stack = await startStack({ ports, configPath: process.env.SWITCHBACK_CONFIG });
} catch (error) {
  console.error(`switchback: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}

const body = JSON.stringify({
  model: 'auto',
  messages: [{ role: 'user', content: 'Say hello in one short sentence.' }],
});
console.log(`
switchback is up in ${((Date.now() - started) / 1000).toFixed(1)} s

  endpoint   ${stack.edgeUrl}/v1   (edge Worker in workerd)
  api key    sk-local-demo
  regional   ${stack.regionalUrl}   providers ${stack.providersUrl} (simulated)

try it:

  curl -sS -i ${stack.edgeUrl}/v1/chat/completions \\
    -H 'authorization: Bearer sk-local-demo' \\
    -H 'content-type: application/json' \\
    -d '${body}'

Ctrl-C stops all three. (wrangler's warnings that "ai" and "queues" are not in [env.local] are
expected: the local Worker uses the Workers AI stand-in, which calls the simulated providers, and
writes its audit log straight to the local R2 bucket.)
`);
if (stack.realProviders.length > 0) {
  console.log(
    `real providers (credentials found in the environment): ${stack.realProviders.join(', ')}`,
  );
}

let stopping = false;
const shutdown = async (signal: string): Promise<void> => {
  if (stopping) return;
  stopping = true;
  console.log(`\nswitchback: ${signal}, stopping…`);
  await stack.stop();
  console.log('switchback: stopped');
  process.exit(0);
};
void stack.died.then(async (name) => {
  if (stopping) return;
  console.error(`switchback: ${name} exited unexpectedly; stopping the rest`);
  stopping = true;
  await stack.stop();
  process.exit(1);
});
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
