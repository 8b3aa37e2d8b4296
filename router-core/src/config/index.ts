export * from './budget-for.ts';
export * from './cost-usd.ts';
export * from './find-tenant.ts';
export * from './issue-path.ts';
export * from './json-schema.ts';
export * from './parse-config.ts';
export * from './route-entries.ts';
export * from './schema.ts';
