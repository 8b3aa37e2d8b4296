export * from './operator-credential.ts';
export * from './ops-actions.ts';
export * from './route-override.ts';
