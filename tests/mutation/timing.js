// Where a mutation run's time went, from the lines MUTATION_TIMING made (runner.js) and the run's JSON
// report: the runs' time by mutated file and by test file, slowest first. Mutants that timed out left no
// line; they are counted from the report.
//   node tests/mutation/timing.js /tmp/timing.jsonl reports/mutation/mutation.json
'use strict';
const fs = require('fs');
const path = require('path');

function summarize(lines, report) {
  const fileOf = new Map();
  const timeouts = new Map();
  for (const [file, { mutants }] of Object.entries(report.files)) {
    const name = path.relative(process.cwd(), path.resolve(file));
    for (const m of mutants) {
      fileOf.set(String(m.id), name);
      if (m.status === 'Timeout') timeouts.set(name, (timeouts.get(name) ?? 0) + 1);
    }
  }
  const bySource = new Map();
  const byTestFile = new Map();
  const add = (map, key, ms) => {
    const e = map.get(key) ?? { runs: 0, ms: 0 };
    e.runs++;
    e.ms += ms;
    map.set(key, e);
  };
  for (const { mutant, ms, files } of lines) {
    add(bySource, fileOf.get(String(mutant)) ?? `(mutant ${mutant}, not in the report)`, ms);
    for (const [file, fileMs] of files) add(byTestFile, file, fileMs);
  }
  const table = (map, extra = () => '') => [...map.entries()].sort((a, b) => b[1].ms - a[1].ms)
    .map(([k, e]) => `${(e.ms / 1000).toFixed(0).padStart(7)} s ${String(e.runs).padStart(6)} runs ${(e.ms / e.runs / 1000).toFixed(2).padStart(6)} s each  ${k}${extra(k)}`);
  const total = lines.reduce((a, l) => a + l.ms, 0);
  return [
    `${lines.length} mutant runs, ${(total / 60000).toFixed(1)} runner-minutes (timed-out runs not included)`,
    '', 'by mutated file:', ...table(bySource, (k) => (timeouts.get(k) ? `  (+${timeouts.get(k)} timed out)` : '')),
    '', 'by test file (the time of its runs):', ...table(byTestFile),
  ].join('\n');
}

if (require.main === module) {
  const [timingFile, reportFile] = process.argv.slice(2);
  if (!timingFile || !reportFile) {
    process.stderr.write('usage: node tests/mutation/timing.js TIMING.jsonl reports/mutation/mutation.json\n');
    process.exit(2);
  }
  const lines = fs.readFileSync(timingFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  process.stdout.write(`${summarize(lines, JSON.parse(fs.readFileSync(reportFile, 'utf8')))}\n`);
}

module.exports = { summarize };
