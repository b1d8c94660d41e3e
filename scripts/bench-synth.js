#!/usr/bin/env node
// `npm run bench [runs]`: times `npm run synth` end to end (helm renders included) and prints the figures.
// Uses the same environment as synth (CHART_STORE, CHART_LOCK, HELM); writes to a temporary folder.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const runs = Number(process.argv[2] ?? 5);
const root = path.resolve(__dirname, '..');
const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-synth-')), 'dist');
const times = [];
for (let i = 0; i < runs; i++) {
  const start = process.hrtime.bigint();
  const res = spawnSync(path.join(root, 'node_modules/.bin/tsx'), ['main.ts'], { cwd: root, encoding: 'utf8', env: { ...process.env, CDK8S_OUTDIR: outdir } });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (res.status !== 0) {
    process.stderr.write(res.stderr);
    process.exit(1);
  }
  times.push(seconds);
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)];
console.log(`synth: ${runs} runs, median ${median.toFixed(2)} s, min ${times[0].toFixed(2)} s, max ${times[times.length - 1].toFixed(2)} s`);
fs.rmSync(path.dirname(outdir), { recursive: true, force: true });
