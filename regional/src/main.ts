// The regional service on its own: `node regional/src/main.ts [--config <file>] [--port N]`.
// Without --config it serves the repo's example router.config.yaml; the port comes from
// REGIONAL_PORT (default 8788), the edge's shared secret from SWITCHBACK_HMAC_SECRET.
import { fileURLToPath } from 'node:url';
import { serveCommand } from './cli/serve.ts';

const defaultConfigPath = fileURLToPath(new URL('../../router.config.yaml', import.meta.url));

process.exitCode = await serveCommand(process.argv.slice(2), { defaultConfigPath });
