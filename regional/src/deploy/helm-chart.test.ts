import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseConfig } from '@switchback/router-core';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';

const CHART = fileURLToPath(new URL('../../../infra/helm/switchback', import.meta.url));
const ADAPTER_VALUES = fileURLToPath(
  new URL('../../../infra/helm/prometheus-adapter.values.yaml', import.meta.url),
);
const LOCAL = fileURLToPath(new URL('../../../.cache/bin/helm', import.meta.url));

/** helm from SWITCHBACK_HELM, .cache/bin or PATH (`go install helm.sh/helm/v4/cmd/helm@v4.3.2`). */
const helm = ((): string | undefined => {
  const explicit = process.env.SWITCHBACK_HELM;
  if (explicit) return explicit;
  if (existsSync(LOCAL)) return LOCAL;
  return spawnSync('helm', ['version'], { stdio: 'ignore' }).status === 0 ? 'helm' : undefined;
})();
if (helm === undefined) {
  console.log(
    'helm chart tests skipped: no helm (GOBIN=$PWD/.cache/bin go install helm.sh/helm/v4/cmd/helm@v4.3.2)',
  );
}

type Manifest = { kind: string; metadata: { name: string }; [key: string]: unknown };

const render = (...set: string[]): Manifest[] => {
  const args = ['template', 'sb', CHART, ...set.flatMap((s) => ['--set', s])];
  const out = spawnSync(helm ?? 'helm', args, { encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`helm template failed: ${out.stderr}`);
  return parseAllDocuments(out.stdout)
    .map((doc) => doc.toJS() as Manifest | null)
    .filter((m): m is Manifest => m !== null);
};

type Probe = { httpGet: { path: string } };
type Container = {
  envFrom: { secretRef: { name: string } }[];
  volumeMounts: { name: string; mountPath: string; readOnly?: boolean }[];
} & Record<'startupProbe' | 'readinessProbe' | 'livenessProbe', Probe>;
type Deployment = {
  spec: {
    replicas?: number;
    template: { spec: { securityContext: { runAsNonRoot: boolean }; containers: Container[] } };
  };
};
type Hpa = { spec: { metrics: { type: string; pods?: { metric: { name: string } } }[] } };
type ConfigMap = { data: Record<string, string> };
type AdapterRule = {
  seriesQuery: string;
  resources: { overrides: Record<string, { resource: string }> };
  name: { matches: string; as: string };
  metricsQuery: string;
};
type AdapterConfig = { rules: AdapterRule[] };

const kind = <T>(manifests: Manifest[], name: string): T => {
  const found = manifests.find((m) => m.kind === name);
  if (found === undefined) throw new Error(`no ${name}`);
  return found as unknown as T;
};

describe.skipIf(helm === undefined)('the Helm chart (infra/helm/switchback)', () => {
  it('passes helm lint', () => {
    const out = spawnSync(helm ?? 'helm', ['lint', CHART], { encoding: 'utf8' });
    expect(out.stdout).toContain('0 chart(s) failed');
    expect(out.status).toBe(0);
  });

  it('renders a Deployment, Service, HPA, PDB, ConfigMap and Secret', () => {
    expect(
      render()
        .map((m) => m.kind)
        .sort(),
    ).toEqual([
      'ConfigMap',
      'Deployment',
      'HorizontalPodAutoscaler',
      'PodDisruptionBudget',
      'Secret',
      'Service',
    ]);
  });

  it("the ConfigMap's router.config.yaml is a valid config on Redis", () => {
    const configMap = kind<ConfigMap>(render(), 'ConfigMap');
    const parsed = parseConfig(parse(configMap.data['router.config.yaml'] ?? ''));
    expect(parsed.ok ? parsed.config.state.kind : parsed.issues).toBe('redis');
  });

  it('the HPA scales on CPU and on router_in_flight_requests per pod', () => {
    const hpa = kind<Hpa>(render(), 'HorizontalPodAutoscaler');
    expect(hpa.spec.metrics.map((m) => m.type)).toEqual(['Resource', 'Pods']);
    expect(hpa.spec.metrics[1]?.pods?.metric.name).toBe('router_in_flight_requests');
  });

  it('with the in-flight target empty, the HPA scales on CPU alone', () => {
    const hpa = kind<Hpa>(render('autoscaling.inFlightRequestsPerPod='), 'HorizontalPodAutoscaler');
    expect(hpa.spec.metrics.map((m) => m.type)).toEqual(['Resource']);
  });

  it('renders no prometheus-adapter rule by default, and the one the HPA needs when enabled', () => {
    const adapterRules = (manifests: Manifest[]) =>
      manifests.filter((m) => m.kind === 'ConfigMap' && m.metadata.name.endsWith('adapter-rules'));
    expect(adapterRules(render())).toEqual([]);
    const manifests = render('prometheusAdapter.rules.enabled=true');
    const [rules, ...more] = adapterRules(manifests) as unknown as (Manifest & ConfigMap)[];
    expect(more).toEqual([]);
    expect(rules?.metadata).toMatchObject({ name: 'sb-switchback-adapter-rules' });
    const rule = (parse(rules?.data['config.yaml'] ?? '') as AdapterConfig).rules[0];
    // The adapter serves the series under the name the HPA's Pods metric asks for.
    const hpa = kind<Hpa>(manifests, 'HorizontalPodAutoscaler');
    expect(rule?.name.as).toBe(hpa.spec.metrics[1]?.pods?.metric.name);
    expect(rule).toEqual({
      seriesQuery: 'router_in_flight_requests{namespace!="",pod!=""}',
      resources: { overrides: { namespace: { resource: 'namespace' }, pod: { resource: 'pod' } } },
      name: { matches: '^router_in_flight_requests$', as: 'router_in_flight_requests' },
      metricsQuery: 'sum(<<.Series>>{<<.LabelMatchers>>}) by (<<.GroupBy>>)',
    });
    // The documented values for the adapter chart carry the same rule.
    const documented = parse(readFileSync(ADAPTER_VALUES, 'utf8')) as {
      rules: { custom: unknown[] };
    };
    expect(documented.rules.custom).toEqual([rule]);
  });

  it("the adapter rule goes to the adapter's namespace, with the scrape job's label names", () => {
    const manifests = render(
      'prometheusAdapter.rules.enabled=true',
      'prometheusAdapter.rules.namespace=monitoring',
      'prometheusAdapter.rules.namespaceLabel=kubernetes_namespace',
      'prometheusAdapter.rules.podLabel=kubernetes_pod_name',
    );
    const rules = manifests.find((m) => m.metadata.name === 'sb-switchback-adapter-rules') as
      | (Manifest & ConfigMap & { metadata: { namespace: string } })
      | undefined;
    expect(rules?.metadata.namespace).toBe('monitoring');
    const rule = (parse(rules?.data['config.yaml'] ?? '') as AdapterConfig).rules[0];
    expect(rule?.seriesQuery).toBe(
      'router_in_flight_requests{kubernetes_namespace!="",kubernetes_pod_name!=""}',
    );
    expect(rule?.resources.overrides).toEqual({
      kubernetes_namespace: { resource: 'namespace' },
      kubernetes_pod_name: { resource: 'pod' },
    });
  });

  it('runs as non-root with probes on /healthz and the config directory mounted whole', () => {
    const pod = kind<Deployment>(render(), 'Deployment').spec.template.spec;
    const container = pod.containers[0];
    if (container === undefined) throw new Error('no container');
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe'] as const) {
      expect(container[probe].httpGet.path).toBe('/healthz');
    }
    const mount = container.volumeMounts.find((v) => v.name === 'config');
    expect(mount).toEqual({ name: 'config', mountPath: '/etc/switchback', readOnly: true });
  });

  it('an existing Secret replaces the rendered one; without autoscaling, replicaCount holds', () => {
    const manifests = render(
      'secrets.existingSecret=vault-keys',
      'autoscaling.enabled=false',
      'replicaCount=5',
    );
    expect(manifests.map((m) => m.kind)).not.toContain('Secret');
    expect(manifests.map((m) => m.kind)).not.toContain('HorizontalPodAutoscaler');
    const deployment = kind<Deployment>(manifests, 'Deployment');
    expect(deployment.spec.replicas).toBe(5);
    expect(deployment.spec.template.spec.containers[0]?.envFrom[0]?.secretRef.name).toBe(
      'vault-keys',
    );
  });
});
