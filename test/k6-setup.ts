// Global setup of the e2e project: the SLO smoke (test/load) drives the stack with k6, which is
// not on npm. Finding or building it here, before any test starts its clock, keeps a 3-4 minute
// `go install` on a fresh machine out of the smoke's 120 s timeout.
import { ensureK6, findK6 } from '../loadtests/src/runner/k6-binary.ts';

export default function setup(): void {
  const found = findK6();
  if (found !== undefined) {
    console.log(`k6: ${found.path} (from ${found.from})`);
    return;
  }
  // Built into .cache/bin, where the smoke's own lookup (findK6) finds it next.
  ensureK6(console.log);
}
