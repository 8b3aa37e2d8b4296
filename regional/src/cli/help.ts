import { AUDIT_SHOW_USAGE } from './audit-show.ts';
import { AUDIT_VERIFY_USAGE } from './audit-verify.ts';
import { CALIBRATE_USAGE } from './calibrate.ts';
import type { CliIo } from './cli-io.ts';
import { DIFF_USAGE } from './diff.ts';
import { EXPLAIN_USAGE } from './explain.ts';
import { REPORT_USAGE } from './report.ts';
import { ROLLOUT_USAGE } from './rollout-watch.ts';
import { SIMULATE_USAGE } from './simulate.ts';
import { VALIDATE_USAGE } from './validate.ts';

export const HELP = `switchback: a hybrid edge/regional inference router

usage:
  switchback serve --config <file> [--port N]    run the regional service as the front door
  ${VALIDATE_USAGE}            check a config; exit 1 listing every problem
  ${EXPLAIN_USAGE}
                                                 where the request on stdin would go, and why (JSON)
  ${SIMULATE_USAGE}
                                                 replay recorded traffic offline: shares, cost, budget risk
  ${CALIBRATE_USAGE}
                                                 the regionalThreshold that hits a target, as a config patch;
                                                 --plot draws hard-prompt recall against regional share (SVG)
  ${DIFF_USAGE}
                                                 which requests two configs route differently, and why
  ${AUDIT_VERIFY_USAGE}
                                                 check an audit log's signatures and chain
  ${AUDIT_SHOW_USAGE}
                                                 one request's chain: turns, policy, tool calls, approvals
  ${REPORT_USAGE}
                                                 the weekly operations report: one HTML page with charts
  ${ROLLOUT_USAGE}
                                                 the rollout gate over a door's audit log: promote or roll back
  switchback help                                this text

Config reference: router-core/schema/router-config.schema.json (JSON Schema for editors).`;

/** `switchback help`. */
export const helpCommand = async (_args: readonly string[], io: CliIo): Promise<number> => {
  io.out(HELP);
  return 0;
};
