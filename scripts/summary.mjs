// Prints the suite's result as one plain line ("tests: N passed, M failed"),
// the closing line CI reads, from the JSON report vitest wrote.
import { readFileSync } from 'node:fs';

const r = JSON.parse(readFileSync('.vitest-results.json', 'utf8'));
console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed`);
process.exit(r.numFailedTests > 0 || r.numTotalTests === 0 ? 1 : 0);
