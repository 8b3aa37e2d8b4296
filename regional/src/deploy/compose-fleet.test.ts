import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseConfig } from '@switchback/router-core';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

// No Docker daemon here: what can be checked without one is the file itself, the files it
// mounts, and the config its regional replicas run.
const DIR = fileURLToPath(new URL('../../../infra/compose/', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

type Service = {
  image?: string;
  build?: { context: string; dockerfile: string; target?: string };
  deploy?: { replicas?: number };
  volumes?: string[];
};
const compose = parse(readFileSync(`${DIR}docker-compose.yaml`, 'utf8')) as {
  services: Record<string, Service>;
};

describe('the local fleet (infra/compose/docker-compose.yaml)', () => {
  it('runs three regional replicas on Redis behind a balancer, with the simulator, Prometheus and Grafana', () => {
    expect(Object.keys(compose.services).sort()).toEqual(
      ['grafana', 'lb', 'prometheus', 'redis', 'regional', 'sim'].sort(),
    );
    expect(compose.services.regional?.deploy?.replicas).toBe(3);
  });

  it('mounts only files that exist, and builds from the regional Dockerfile', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      for (const volume of service.volumes ?? []) {
        const host = volume.split(':')[0] ?? '';
        expect(existsSync(resolve(DIR, host)), `${name}: ${host}`).toBe(true);
      }
      if (service.build) {
        const context = resolve(DIR, service.build.context);
        expect(context).toBe(resolve(ROOT));
        expect(existsSync(resolve(context, service.build.dockerfile))).toBe(true);
      }
    }
    expect(existsSync(resolve(DIR, '../grafana/switchback-slo.json'))).toBe(true);
  });

  it('the replicas run the example config with state.redis.yaml appended: a valid config on Redis', () => {
    const joined =
      readFileSync(`${ROOT}router.config.yaml`, 'utf8') +
      readFileSync(`${DIR}state.redis.yaml`, 'utf8');
    const parsed = parseConfig(parse(joined));
    expect(parsed.ok ? parsed.config.state : parsed.issues).toEqual({
      kind: 'redis',
      url: 'redis://redis:6379/0',
      timeoutMs: 50,
      keyPrefix: 'switchback:',
      breakers: 'local',
    });
  });
});
