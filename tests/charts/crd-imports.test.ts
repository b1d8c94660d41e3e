import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { CRD_IMPORTS } from '../../charts/crd-imports';
import { ROOT } from '../helpers';

const listed = CRD_IMPORTS.flatMap((c) => c.modules).sort();

describe('CRD_IMPORTS', () => {
  test('imports/ holds exactly the listed modules', () => {
    expect(fs.readdirSync(path.join(ROOT, 'imports')).sort()).toEqual(listed.map((m) => `${m}.ts`));
  });

  test('every listed module is used by a component, and components use no other', () => {
    const sources = (fs.readdirSync(path.join(ROOT, 'charts'), { recursive: true }) as string[]).filter((f) => f.endsWith('.ts'));
    const used = new Set(sources.flatMap((f) => [...fs.readFileSync(path.join(ROOT, 'charts', f), 'utf8').matchAll(/from '(?:\.\.\/)+imports\/([^']+)'/g)].map((m) => m[1])));
    expect([...used].sort()).toEqual(listed);
  });

  test('cdk8s.yaml pins the upstream file of every listed CRD that has one, with its prefix', () => {
    const imports = (yaml.load(fs.readFileSync(path.join(ROOT, 'cdk8s.yaml'), 'utf8')) as { imports: string[] }).imports;
    const pinned = imports.map((i) => { const m = /^(?:([\w-]+):=)?https:\/\/.*\/([^/]+)$/.exec(i)!; return `${m[1] ?? ''}:${m[2]}`; });
    const upstream = CRD_IMPORTS.filter((c) => !c.localOnly).map((c) => `${c.prefix ?? ''}:${path.basename(c.file)}`);
    expect(pinned).toEqual(upstream);
  });
});
