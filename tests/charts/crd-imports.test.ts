import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { CRD_IMPORTS } from '../../charts/crd-imports';
import { validationCrdText, withoutDescriptions } from '../../scripts/import-crds';
import { ROOT } from '../helpers';

const listed = CRD_IMPORTS.flatMap((c) => c.modules).sort();
const validated = CRD_IMPORTS.filter((c) => c.validate);
/** The CRD files `npm run import` reads, when this checkout has them beside it. */
const CRD_DIR = path.resolve(ROOT, '../shared/crds');

/** The modules imported from `../imports/<module>` by the .ts files under `dir`. */
function modulesUsedIn(dir: string): string[] {
  const sources = (fs.readdirSync(path.join(ROOT, dir), { recursive: true }) as string[]).filter((f) => f.endsWith('.ts'));
  return [...new Set(sources.flatMap((f) => [...fs.readFileSync(path.join(ROOT, dir, f), 'utf8').matchAll(/from '(?:\.\.\/)+imports\/([^']+)'/g)].map((m) => m[1])))].sort();
}

describe('CRD_IMPORTS', () => {
  test('imports/ holds exactly the listed modules, and imports/crds/ the CRDs of those marked validate', () => {
    expect(fs.readdirSync(path.join(ROOT, 'imports')).sort()).toEqual([...listed.map((m) => `${m}.ts`), 'crds'].sort());
    expect(fs.readdirSync(path.join(ROOT, 'imports', 'crds')).sort()).toEqual(validated.map((c) => `${c.modules[0]}.json`).sort());
  });

  test('every module the components use is listed and not marked validate, and each of those is used', () => {
    expect(modulesUsedIn('charts')).toEqual(CRD_IMPORTS.filter((c) => !c.validate).flatMap((c) => c.modules).sort());
  });

  test('the modules marked validate are the GitOps objects\' (lib/gitops), which validates against exactly their CRDs', () => {
    expect(modulesUsedIn('lib')).toEqual(validated.map((c) => c.modules[0]).sort());
    const render = fs.readFileSync(path.join(ROOT, 'lib', 'gitops', 'render.ts'), 'utf8');
    for (const c of validated) expect(render).toContain(`require('../../imports/crds/${c.modules[0]}.json')`);
  });

  test('cdk8s.yaml pins the upstream file of every listed CRD that has one, with its prefix', () => {
    const imports = (yaml.load(fs.readFileSync(path.join(ROOT, 'cdk8s.yaml'), 'utf8')) as { imports: string[] }).imports;
    const pinned = imports.map((i) => { const m = /^(?:([\w-]+):=)?https:\/\/.*\/([^/]+)$/.exec(i)!; return `${m[1] ?? ''}:${m[2]}`; });
    const upstream = CRD_IMPORTS.filter((c) => !c.localOnly).map((c) => `${c.prefix ?? ''}:${path.basename(c.file)}`);
    expect(pinned).toEqual(upstream);
  });

  test.each(validated.map((c) => [c.modules[0], c] as const))('imports/crds/%s.json is its CRD without descriptions, as npm run import writes it', (module, c) => {
    const text = fs.readFileSync(path.join(ROOT, 'imports', 'crds', `${module}.json`), 'utf8');
    const crd = JSON.parse(text);
    expect(crd.kind).toBe('CustomResourceDefinition');
    const generated = fs.readFileSync(path.join(ROOT, 'imports', `${module}.ts`), 'utf8');
    expect(generated).toContain(`apiVersion: '${crd.spec.group}/${crd.spec.versions[0].name}'`);
    expect(withoutDescriptions(crd)).toEqual(crd);
    if (!fs.existsSync(path.join(CRD_DIR, c.file))) return void process.stdout.write(`SKIPPED comparing ${module}.json with ${c.file}: no ${CRD_DIR}\n`);
    expect(text).toBe(validationCrdText(c, fs.readFileSync(path.join(CRD_DIR, c.file), 'utf8')));
  });
});

describe('withoutDescriptions', () => {
  test('removes every schema\'s description and keeps a property named description', () => {
    const schema = {
      description: 'a project', type: 'object',
      properties: { description: { description: 'what it is for', type: 'string' }, roles: { type: 'array', items: { description: 'a role', properties: { description: { type: 'string' } } } } },
    };
    expect(withoutDescriptions({ spec: { versions: [{ additionalPrinterColumns: [{ name: 'Age', description: 'x' }], schema: { openAPIV3Schema: schema } }] } })).toEqual({
      spec: { versions: [{ additionalPrinterColumns: [{ name: 'Age' }], schema: { openAPIV3Schema: {
        type: 'object', properties: { description: { type: 'string' }, roles: { type: 'array', items: { properties: { description: { type: 'string' } } } } },
      } } }] },
    });
  });

  test('fails on a CRD file of several CRDs, which a validated import cannot name by one module', () => {
    const two = '---\nkind: CustomResourceDefinition\n---\nkind: CustomResourceDefinition\n';
    expect(() => validationCrdText({ file: 'x/two.yaml', modules: ['x'], validate: true }, two)).toThrow(
      'x/two.yaml holds 2 CRDs for 1 module(s): a CRD marked validate needs a file of one CRD and one module');
  });
});
