// Runs the simulated providers on their own: `node loadtests/src/sim/main.ts` (PROVIDERS_PORT,
// PROVIDERS_HOST).
import { startSimulator } from './server.ts';

const port = Number(process.env.PROVIDERS_PORT ?? 8789);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`PROVIDERS_PORT must be a port number, got "${process.env.PROVIDERS_PORT}"`);
  process.exit(1);
}

try {
  // PROVIDERS_HOST=0.0.0.0 in a container (docker compose); 127.0.0.1 otherwise.
  const sim = await startSimulator({ port, host: process.env.PROVIDERS_HOST || undefined });
  console.log(`simulated providers listening on ${sim.url}`);
  const stop = () => {
    sim.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (error) {
  const code = (error as NodeJS.ErrnoException).code;
  console.error(
    code === 'EADDRINUSE'
      ? `simulated providers: port ${port} is already in use (set PROVIDERS_PORT)`
      : `simulated providers failed to start: ${(error as Error).message}`,
  );
  process.exit(1);
}
