import { userInfo } from 'node:os';

/** Who changed the config: `SWITCHBACK_OPERATOR`, else the OS user running the service. */
export const operatorIdentity = (env: Record<string, string | undefined>): string => {
  if (env.SWITCHBACK_OPERATOR) return env.SWITCHBACK_OPERATOR;
  try {
    return `os:${userInfo().username}`;
  } catch {
    return 'unknown';
  }
};
