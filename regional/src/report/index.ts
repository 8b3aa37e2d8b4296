export * from './figures-from-audit.ts';
export * from './figures-from-prometheus.ts';
export * from './report-figures.ts';
export * from './report-html.ts';
