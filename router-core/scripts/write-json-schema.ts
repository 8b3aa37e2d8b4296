// Regenerates router-core/schema/router-config.schema.json from the zod schema:
//   node router-core/scripts/write-json-schema.ts
// (Node 24 runs TypeScript directly; no npm script needed.)
import { writeFileSync } from 'node:fs';
import { routerConfigJsonSchema } from '../src/config/json-schema.ts';

const target = new URL('../schema/router-config.schema.json', import.meta.url);
writeFileSync(target, `${JSON.stringify(routerConfigJsonSchema(), null, 2)}\n`);
console.log(`wrote ${target.pathname}`);
