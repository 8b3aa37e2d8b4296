// Compiles router.config.yaml to edge/src/config/router-config.generated.json, the config the
// Worker bundles (it cannot read YAML cheaply). Run from anywhere:
//   node edge/scripts/compile-config.ts [path/to/router.config.yaml]
// A test (edge/test/config-current.test.ts) fails when the checked-in JSON is stale.
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { compileRouterConfig } from '../src/config/compile.ts';

const source =
  process.argv[2] ?? fileURLToPath(new URL('../../router.config.yaml', import.meta.url));
const target = fileURLToPath(
  new URL('../src/config/router-config.generated.json', import.meta.url),
);

try {
  const json = compileRouterConfig(await readFile(source, 'utf8'));
  const previous = await readFile(target, 'utf8').catch(() => '');
  if (previous === json) {
    console.log(`config: ${target} is current`);
  } else {
    await writeFile(target, json);
    console.log(`config: wrote ${target}`);
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
