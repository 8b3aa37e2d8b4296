import { writeFile } from 'node:fs/promises';
import { figuresFromAudit } from '../report/figures-from-audit.ts';
import { figuresFromPrometheus } from '../report/figures-from-prometheus.ts';
import { reportHtml } from '../report/report-html.ts';
import type { CliIo } from './cli-io.ts';

export const REPORT_USAGE =
  'switchback report --from <audit log file | Prometheus URL> --out <report.html>';

type Parsed = { from: string; out: string };

const parseArgs = (args: readonly string[]): Parsed | undefined => {
  const values: Partial<Record<'from' | 'out', string>> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    const [flag, inline] = arg.includes('=')
      ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
      : [arg, undefined];
    if (flag !== '--from' && flag !== '--out') return undefined;
    const value = inline ?? args[++i];
    if (!value) return undefined;
    values[flag === '--from' ? 'from' : 'out'] = value;
  }
  return values.from && values.out ? { from: values.from, out: values.out } : undefined;
};

const isUrl = (from: string) => /^https?:\/\//.test(from);

/**
 * `switchback report --from <audit log | Prometheus URL> --out <file>`: the weekly operations
 * report as one self-contained HTML page. A URL is read as Prometheus text (regional's
 * `/metrics`, or a Prometheus server's `/federate`). 0 written; 1 unreadable input; 2 usage.
 */
export const reportCommand = async (
  args: readonly string[],
  io: CliIo,
  write: (path: string, text: string) => Promise<void> = (path, text) => writeFile(path, text),
): Promise<number> => {
  const parsed = parseArgs(args);
  if (parsed === undefined) {
    io.err(`usage: ${REPORT_USAGE}`);
    return 2;
  }
  let figures: ReturnType<typeof figuresFromAudit>;
  try {
    if (isUrl(parsed.from)) {
      const response = await fetch(parsed.from, { signal: AbortSignal.timeout(30_000) });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      figures = figuresFromPrometheus(parsed.from, await response.text());
    } else {
      figures = figuresFromAudit(parsed.from, (await io.readFile(parsed.from)).split('\n'));
    }
  } catch (error) {
    io.err(`switchback report: cannot read ${parsed.from}: ${(error as Error).message}`);
    return 1;
  }
  await write(parsed.out, reportHtml(figures));
  io.out(`wrote ${parsed.out}: ${figures.requests} requests from ${parsed.from}`);
  return 0;
};
