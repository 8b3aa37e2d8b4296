export * from './escalation-context.ts';
export * from './escalation-headers.ts';
export * from './sign-request.ts';
