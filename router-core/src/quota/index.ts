export * from './memory-quota-store.ts';
export * from './quota-meter.ts';
export * from './quota-store.ts';
export * from './quota-window.ts';
export * from './rate-limit-headers.ts';
export * from './request-classes.ts';
