#!/usr/bin/env node
// Regenerates imports/ offline: every URL pinned in cdk8s.yaml is imported from its local copy in the
// CRD folder (default ../shared/crds, or CRD_DIR), checked against the sha256 in its SOURCES.md.
// The Seldon CRD has no upstream file (it is rendered by its chart), so it is imported from there only.
'use strict';
const { createHash } = require('crypto');
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const yaml = require('js-yaml');

const root = path.resolve(__dirname, '..');
const crdDir = path.resolve(root, process.env.CRD_DIR ?? '../shared/crds');
const LOCAL_ONLY = [{ prefix: undefined, file: 'seldon/machinelearning.seldon.io_seldondeployments.yaml' }];

function digests() {
  const text = fs.readFileSync(path.join(crdDir, 'SOURCES.md'), 'utf8');
  const rows = new Map();
  for (const line of text.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length > 8 && /^[0-9a-f]{64}$/.test(cells[cells.length - 2])) rows.set(cells[1], cells[cells.length - 2]);
  }
  return rows;
}

function localFile(url) {
  const base = path.basename(new URL(url).pathname);
  const hits = fs.readdirSync(crdDir, { recursive: true }).filter((f) => path.basename(f) === base);
  if (hits.length !== 1) throw new Error(`no single local copy of ${url} under ${crdDir} (found ${hits.length}): set CRD_DIR to the folder that holds the CRD files`);
  return hits[0];
}

const config = yaml.load(fs.readFileSync(path.join(root, 'cdk8s.yaml'), 'utf8'));
const specs = config.imports.map((spec) => {
  const m = /^(?:([\w.-]+):=)?(.+)$/.exec(spec);
  return { prefix: m[1], file: localFile(m[2]) };
}).concat(LOCAL_ONLY);

const known = digests();
// `cdk8s import` appends every spec it imports to cdk8s.yaml: keep the pinned URLs as they are.
const configText = fs.readFileSync(path.join(root, 'cdk8s.yaml'), 'utf8');
const out = path.join(root, 'imports');
fs.rmSync(out, { recursive: true, force: true });
for (const { prefix, file } of specs) {
  const abs = path.join(crdDir, file);
  const want = known.get(file);
  const got = createHash('sha256').update(fs.readFileSync(abs)).digest('hex');
  if (want !== got) throw new Error(`CRD file ${abs} has sha256 ${got}, SOURCES.md says ${want}: restore the upstream file`);
  const arg = prefix ? `${prefix}:=${abs}` : abs;
  execFileSync(path.join(root, 'node_modules/.bin/cdk8s'), ['import', '--check-upgrade=false', '--output', out, arg], {
    cwd: root, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false' },
  });
  fs.writeFileSync(path.join(root, 'cdk8s.yaml'), configText);
  console.log(`imported ${file}`);
}
