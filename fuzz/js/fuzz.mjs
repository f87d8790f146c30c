// Fuzzes the page's parsers for SECONDS in all (split between the
// properties), e.g. `node fuzz/js/fuzz.mjs 20`. Prints the runs of each; on
// a failure prints the shrunk counterexample, which then belongs in
// regressions.test.mjs, and exits non-zero.
import fc from 'fast-check';
import * as p from './properties.mjs';

const seconds = Number(process.argv[2] || 20);
const checks = [
  ['scorm_suspend_data', fc.property(p.suspendText, p.checkSuspendData)],
  ['scorm_round_trip', fc.property(p.progressLessons, p.lang, p.checkRoundTrip)],
  ['host_message', fc.property(p.message, p.checkMessage)],
  ['host_foreign_origin', fc.property(p.message, p.checkForeignMessage)],
];
let failed = 0;
for (const [name, property] of checks) {
  const result = fc.check(property, {
    numRuns: Number.MAX_SAFE_INTEGER,
    interruptAfterTimeLimit: (seconds * 1000) / checks.length,
    markInterruptAsFailure: false,
  });
  if (result.failed) {
    failed += 1;
    console.log(`${name}: FAILED after ${result.numRuns} runs (seed ${result.seed}, path ${result.counterexamplePath})`);
    console.log(`  counterexample: ${fc.stringify(result.counterexample)}`);
    console.log(`  ${result.errorInstance}`);
  } else {
    console.log(`${name}: ${result.numRuns} runs, no failure`);
  }
}
process.exit(failed > 0 ? 1 : 0);
