// `npm run import`: regenerates imports/ offline, exactly the modules charts/crd-imports.ts lists, from the
// CRD files in ../shared/crds (or CRD_DIR), each checked against the sha256 in its SOURCES.md first, and,
// for the CRDs marked `validate`, the CRD document without its descriptions as imports/crds/<module>.json.
// cdk8s.yaml's imports list the same CRDs by their canonical URLs (from SOURCES.md); this keeps it so.
import { createHash } from 'crypto';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { CRD_IMPORTS, CrdImport } from '../charts/crd-imports';
import { runCommand } from '../lib';

const ROOT = path.resolve(__dirname, '..');

/** SOURCES.md's table: file → { url, sha256 }. */
export function readSources(crdDir: string): Map<string, { url: string; sha256: string }> {
  const sources = path.join(crdDir, 'SOURCES.md');
  if (!fs.existsSync(sources)) throw new Error(`no ${sources}: set CRD_DIR to the folder of CRD files and their SOURCES.md (default ../shared/crds)`);
  const rows = new Map<string, { url: string; sha256: string }>();
  for (const line of fs.readFileSync(sources, 'utf8').split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length > 8 && /^[0-9a-f]{64}$/.test(cells[cells.length - 2])) rows.set(cells[1], { url: cells[cells.length - 3], sha256: cells[cells.length - 2] });
  }
  return rows;
}

/** cdk8s.yaml's `imports:` for the list: the canonical URL of every CRD that has one. */
export function cdk8sYamlImports(sources: ReadonlyMap<string, { url: string }>): string[] {
  return CRD_IMPORTS.filter((c) => !c.localOnly).map((c) => {
    const url = sources.get(c.file)?.url;
    if (!url?.startsWith('https://')) throw new Error(`SOURCES.md gives ${c.file} no canonical URL: add it, or mark the CRD localOnly in charts/crd-imports.ts`);
    return c.prefix ? `${c.prefix}:=${url}` : url;
  });
}

/**
 * A CRD document without the `description` of any schema (nor of a printer column): what synth needs to
 * validate against it, a fraction of the size. A property that is named `description` stays.
 */
export function withoutDescriptions(node: unknown, isPropertyMap = false): unknown {
  if (Array.isArray(node)) return node.map((n) => withoutDescriptions(n));
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(Object.entries(node)
    .filter(([k]) => isPropertyMap || k !== 'description')
    .map(([k, v]) => [k, withoutDescriptions(v, !isPropertyMap && k === 'properties')]));
}

/** The text of imports/crds/<module>.json for a CRD file that holds one CRD. */
export function validationCrdText(c: CrdImport, text: string): string {
  const crds = yaml.loadAll(text).filter((d: any) => d?.kind === 'CustomResourceDefinition');
  if (crds.length !== 1 || c.modules.length !== 1) {
    throw new Error(`${c.file} holds ${crds.length} CRDs for ${c.modules.length} module(s): a CRD marked validate needs a file of one CRD and one module`);
  }
  return `${JSON.stringify(withoutDescriptions(crds[0]), null, 1)}\n`;
}

runCommand(module, {
  name: 'npm run import',
  summary: 'Regenerates imports/ (the typed constructs of the CRDs in charts/crd-imports.ts) offline, and cdk8s.yaml\'s imports.',
  options: {},
  environment: [['CRD_DIR', 'the folder of CRD files and their SOURCES.md (default ../shared/crds)']],
}, () => {
  const crdDir = path.resolve(ROOT, process.env.CRD_DIR ?? '../shared/crds');
  const sources = readSources(crdDir);
  const out = path.join(ROOT, 'imports');
  const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'crd-import-'));
  try {
    for (const c of CRD_IMPORTS) {
      const file = path.join(crdDir, c.file);
      const want = sources.get(c.file)?.sha256;
      const got = createHash('sha256').update(fs.readFileSync(file)).digest('hex');
      if (want !== got) throw new Error(`CRD file ${file} has sha256 ${got}, SOURCES.md says ${want ?? 'nothing'}: restore the upstream file`);
      const generated = path.join(staging, c.file.replace(/[/.]/g, '_'));
      // cdk8s import appends what it imports to the cdk8s.yaml of its working folder: run it in the staging folder.
      fs.mkdirSync(generated);
      execFileSync(path.join(ROOT, 'node_modules/.bin/cdk8s'), ['import', '--check-upgrade=false', '--language', 'typescript', '--output', generated, c.prefix ? `${c.prefix}:=${file}` : file], {
        cwd: generated, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false' }, timeout: 600_000,
      });
      for (const m of c.modules) {
        if (!fs.existsSync(path.join(generated, `${m}.ts`))) throw new Error(`cdk8s import of ${c.file} generated no module ${m}: fix charts/crd-imports.ts`);
      }
      process.stderr.write(`imported ${c.file}: ${c.modules.join(', ')}\n`);
    }
    const keep = new Set(CRD_IMPORTS.flatMap((c) => c.modules.map((m) => `${m}.ts`)));
    const crdsOut = path.join(out, 'crds');
    fs.mkdirSync(crdsOut, { recursive: true });
    for (const f of fs.readdirSync(out)) if (f.endsWith('.ts') && !keep.has(f)) fs.rmSync(path.join(out, f));
    for (const f of fs.readdirSync(crdsOut)) if (!CRD_IMPORTS.some((c) => c.validate && `${c.modules[0]}.json` === f)) fs.rmSync(path.join(crdsOut, f));
    for (const c of CRD_IMPORTS) {
      for (const m of c.modules) fs.copyFileSync(path.join(staging, c.file.replace(/[/.]/g, '_'), `${m}.ts`), path.join(out, `${m}.ts`));
      if (c.validate) fs.writeFileSync(path.join(crdsOut, `${c.modules[0]}.json`), validationCrdText(c, fs.readFileSync(path.join(crdDir, c.file), 'utf8')));
    }
    const config = path.join(ROOT, 'cdk8s.yaml');
    const text = fs.readFileSync(config, 'utf8');
    const imports = cdk8sYamlImports(sources).map((i) => `  - ${i}\n`).join('');
    fs.writeFileSync(config, text.replace(/^imports:\n(  - .*\n)*/m, `imports:\n${imports}`));
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
});
