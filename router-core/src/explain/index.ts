export * from './explain.ts';
