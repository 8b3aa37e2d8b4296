import { type Bar, barChartSvg, escapeXml } from './bar-chart-svg.ts';
import { type ReportFigures, ratioOf, type Share } from './report-figures.ts';

// How numbers are written on the page (a test reads them back): fixed decimals, no locale.
const ms = (value: number) => `${value.toFixed(1)} ms`;
const percent = (ratio: number | undefined) =>
  ratio === undefined ? 'n/a' : `${(ratio * 100).toFixed(2)} %`;
const usd = (value: number | undefined, digits: number) =>
  value === undefined ? 'n/a' : `$${value.toFixed(digits)}`;
const times = (value: number | undefined) => (value === undefined ? 'n/a' : `${value.toFixed(2)}×`);

const cell = (key: string, text: string) =>
  `<td data-figure="${escapeXml(key)}">${escapeXml(text)}</td>`;
const head = (...names: string[]) =>
  `<tr>${names.map((n) => `<th>${escapeXml(n)}</th>`).join('')}</tr>`;
const table = (header: string, rows: string[]) =>
  `<table>${header}${rows.map((r) => `<tr>${r}</tr>`).join('')}</table>`;

const shareRow = (key: string, label: string, share: Share) =>
  `<th>${escapeXml(label)}</th>${cell(`${key}/part`, String(share.part))}${cell(`${key}/whole`, String(share.whole))}${cell(`${key}/ratio`, percent(ratioOf(share)))}`;

const latencySection = (f: ReportFigures) => {
  const bars: Bar[] = f.latency.flatMap((r) => [
    { label: `${r.workflow} · ${r.tier} p50`, value: r.p50Ms, text: ms(r.p50Ms) },
    {
      label: `${r.workflow} · ${r.tier} p95`,
      value: r.p95Ms,
      text: ms(r.p95Ms),
      series: 1 as const,
    },
  ]);
  const rows = f.latency.map((r) => {
    const key = `latency/${r.workflow}/${r.tier}`;
    return `<th>${escapeXml(r.workflow)}</th><th>${escapeXml(r.tier)}</th>${cell(`${key}/count`, String(r.count))}${cell(`${key}/p50`, ms(r.p50Ms))}${cell(`${key}/p95`, ms(r.p95Ms))}`;
  });
  return `<section><h2>Latency by workflow and tier</h2><p>End-to-end duration of routed requests, nearest-rank percentiles.</p>${barChartSvg({ title: 'Latency by workflow and tier', bars })}${table(head('workflow', 'tier', 'requests', 'p50', 'p95'), rows)}</section>`;
};

const cacheSection = (f: ReportFigures) => {
  const ratio = (r: { promptTokens: number; cachedTokens: number }) =>
    ratioOf({ part: r.cachedTokens, whole: r.promptTokens });
  const bars: Bar[] = f.cacheHit.map((r) => ({
    label: r.family,
    value: ratio(r) ?? 0,
    text: percent(ratio(r)),
  }));
  const rows = f.cacheHit.map((r) => {
    const key = `cache/${r.family}`;
    return `<th>${escapeXml(r.family)}</th>${cell(`${key}/prompt`, String(r.promptTokens))}${cell(`${key}/cached`, String(r.cachedTokens))}${cell(`${key}/ratio`, percent(ratio(r)))}`;
  });
  return `<section><h2>Cache-hit rate by prompt family</h2><p>Cached prompt tokens over prompt tokens; a family is a tenant's workflow.</p>${barChartSvg({ title: 'Cache-hit rate by prompt family', bars, max: 1 })}${table(head('family', 'prompt tokens', 'cached tokens', 'hit rate'), rows)}</section>`;
};

const sharesSection = (f: ReportFigures) => {
  const tools = ratioOf(f.toolCallsDenied);
  const retries = ratioOf(f.retriesSucceeded);
  const bars: Bar[] = [
    { label: 'tool calls denied by policy', value: tools ?? 0, text: percent(tools) },
    { label: 'retried requests that succeeded', value: retries ?? 0, text: percent(retries) },
  ];
  return `<section><h2>Tool-call policy and retries</h2><p>Tool calls the models asked for that policy denied, over all tool-call decisions; requests retried or failed over before their first byte (replay-safe: nothing had reached the client) that still ended ok.</p>${barChartSvg({ title: 'Policy-denied tool calls and retry success', bars, max: 1 })}${table(head('', 'count', 'of', 'ratio'), [shareRow('tools-denied', 'tool calls denied', f.toolCallsDenied), shareRow('retries-ok', 'retries succeeded', f.retriesSucceeded)])}</section>`;
};

const costSection = (f: ReportFigures) => {
  const { totalUsd, successes, successBasis, tokens } = f.cost;
  const perSuccess = successes > 0 ? totalUsd / successes : undefined;
  const perMillion = tokens > 0 ? (totalUsd / tokens) * 1e6 : undefined;
  const rows = [
    `<th>total cost</th>${cell('cost/total', usd(totalUsd, 4))}`,
    `<th>successful tasks (${escapeXml(successBasis)})</th>${cell('cost/successes', String(successes))}`,
    `<th>cost per successful task</th>${cell('cost/per-success', usd(perSuccess, 6))}`,
    `<th>tokens (prompt + completion)</th>${cell('cost/tokens', String(tokens))}`,
    `<th>cost per million tokens</th>${cell('cost/per-mtok', usd(perMillion, 4))}`,
  ];
  const perThousand = perMillion === undefined ? undefined : perMillion / 1000;
  const bars: Bar[] = [
    { label: 'per successful task', value: perSuccess ?? 0, text: usd(perSuccess, 6) },
    { label: 'per 1,000 tokens', value: perThousand ?? 0, text: usd(perThousand, 6) },
  ];
  return `<section><h2>Cost per successful task and per token</h2><p>Estimated at list prices.</p>${barChartSvg({ title: 'Cost per successful task and per token', bars })}${table(head('', 'value'), rows)}</section>`;
};

const burnSection = (f: ReportFigures) => {
  const bars: Bar[] = f.burn
    .filter((r) => r.burnRate !== undefined)
    .map((r) => ({ label: r.errorClass, value: r.burnRate ?? 0, text: times(r.burnRate) }));
  const rows = f.burn.map((r) => {
    const key = `burn/${r.errorClass}`;
    return `<th>${r.errorClass}</th>${cell(`${key}/count`, String(r.count))}${cell(`${key}/share`, percent(r.share))}${cell(`${key}/rate`, times(r.burnRate))}`;
  });
  return `<section><h2>Error-budget burn by class</h2><p>Burn rate: the class's share of valid requests (policy and quota rejections excluded) over the 0.1 % availability budget; 1× spends it as fast as it refills. Policy and quota rejections never burn it and are shown as shares of all requests.</p>${barChartSvg({ title: 'Error-budget burn by class', bars, rule: { value: 1, label: '1×' } })}${table(head('class', 'requests', 'share of all', 'burn rate'), rows)}</section>`;
};

const STYLE = `body{font-family:sans-serif;margin:24px;max-width:760px;color:#222}h1{font-size:22px}h2{font-size:17px;margin-top:28px}p{font-size:13px;color:#555}table{border-collapse:collapse;font-size:13px;margin-top:6px}td,th{border:1px solid #ddd;padding:3px 8px;text-align:right}th{text-align:left;background:#f6f6f6}`;

/** The weekly operations report: one self-contained HTML page (inline CSS and SVG, no script). */
export const reportHtml = (f: ReportFigures): string => {
  const window = f.window ? ` · ${escapeXml(f.window.from)} to ${escapeXml(f.window.to)}` : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>switchback weekly operations report</title><style>${STYLE}</style></head><body><h1>switchback weekly operations report</h1><p>Source: ${escapeXml(f.source)}${window} · <span data-figure="requests">${f.requests}</span> requests</p>${latencySection(f)}${cacheSection(f)}${sharesSection(f)}${costSection(f)}${burnSection(f)}</body></html>\n`;
};
