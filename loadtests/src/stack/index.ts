export * from './ports.ts';
export * from './start-stack.ts';
