import * as fs from 'fs';
import * as path from 'path';
import { ApiObject } from 'cdk8s';
import * as yaml from 'js-yaml';
import { IrisExample } from '../../charts/examples/iris';
import { Istio } from '../../charts/istio';
import { MetalLb } from '../../charts/metallb';
import { NginxExample } from '../../charts/examples/nginx';
import { SeldonCore } from '../../charts/seldon-core';
import { Manifest } from '../../lib/manifests';
import { Phase } from '../../lib/phases';
import { preloadBuiltInModels, SchemaValidator, validateManifests } from '../../lib/validation';
import { app, lock } from '../charts/helpers';
import { ROOT, tmpDir } from '../helpers';

const crd = (schema: object, kind = 'Widget') => ({
  apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.example.com' },
  spec: {
    group: 'example.com', scope: 'Namespaced', names: { kind, plural: 'widgets' },
    versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: schema } }],
  },
});

const WIDGET = crd({
  type: 'object',
  description: 'a widget',
  properties: {
    spec: {
      type: 'object', required: ['size'],
      properties: {
        size: { type: 'integer' },
        color: { type: 'string', enum: ['red', 'blue'] },
        note: { type: 'string', nullable: true },
        port: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] },
        extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        either: { type: 'object', properties: { a: { type: 'string' }, b: { type: 'string' } }, oneOf: [{ required: ['a'] }, { required: ['b'] }] },
      },
    },
  },
});

const widget = (spec: object, metadata: object = { name: 'w', namespace: 'ns' }) => ({ apiVersion: 'example.com/v1', kind: 'Widget', metadata, spec });

const deployment = (container: object, spec: object = {}) => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'ns', labels: { app: 'web' } },
  spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [container] } }, ...spec },
});

describe('SchemaValidator, built-in kinds (Kubernetes OpenAPI via kubernetes-models)', () => {
  const v = new SchemaValidator([]);

  test('a valid Deployment, ConfigMap and Service pass, maps (labels, data) included', () => {
    expect(v.validate(deployment({ name: 'web', image: 'nginx:1', ports: [{ containerPort: 8080 }], resources: { requests: { cpu: '100m' } } }, { replicas: 2 }))).toEqual([]);
    expect(v.validate({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', annotations: { 'a/b': 'c' } }, data: { 'any.key': 'x' } })).toEqual([]);
    expect(v.validate({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port: 80, targetPort: 'http' }], selector: { app: 'web' } } })).toEqual([]);
  });

  test('preloading the modules of built-in kinds skips kinds without one and changes no result', () => {
    expect(() => preloadBuiltInModels([
      { apiVersion: 'apps/v1', kind: 'Deployment' }, { apiVersion: 'apps/v1', kind: 'Deployment' },
      { apiVersion: 'example.com/v1', kind: 'Widget' }, { apiVersion: 'not a version', kind: 'x' }, { apiVersion: 'v1', kind: 'lowercase' },
    ])).not.toThrow();
    expect(new SchemaValidator([]).validate(deployment({ name: 'web', image: 'nginx:1', imagePolicy: 'x' }))).toEqual([
      { path: '.spec.template.spec.containers[0].imagePolicy', message: 'unknown field' },
    ]);
  });

  test('preloading loads the module of a built-in kind ahead of the validation', () => {
    const loaded: string[] = [];
    const module = 'kubernetes-models/apps/v1/Deployment';
    try {
      jest.isolateModules(() => {
        jest.doMock(module, () => { loaded.push(module); return jest.requireActual(module); });
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        (require('../../lib/validation') as typeof import('../../lib/validation')).preloadBuiltInModels([{ apiVersion: 'apps/v1', kind: 'Deployment' }]);
      });
    } finally {
      jest.dontMock(module);
    }
    expect(loaded).toEqual([module]);
  });

  test('fails on a misspelled field, naming its JSON path', () => {
    expect(v.validate(deployment({ name: 'web', image: 'nginx:1', imagePullPolicyy: 'Always' }))).toEqual([
      { path: '.spec.template.spec.containers[0].imagePullPolicyy', message: 'unknown field' },
    ]);
  });

  test('fails on an unknown field at the top level and in metadata', () => {
    expect(v.validate({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', label: { a: 'b' } }, date: {} })).toEqual(expect.arrayContaining([
      { path: '.date', message: 'unknown field' }, { path: '.metadata.label', message: 'unknown field' },
    ]));
  });

  test('names array items by index and keys that look like indexes or hold / and ~ as they are', () => {
    const containers = Array.from({ length: 11 }, (_, i) => ({ name: `c${i}`, image: 'nginx:1' }));
    containers[10] = { image: 'nginx:1' } as any;
    const labels = { 'a/b': 1, 'c~d': 1, 'a1': 1, '1a': 1 };
    expect(v.validate({ ...deployment({}), spec: { ...deployment({}).spec, template: { metadata: { labels }, spec: { containers } } } })).toEqual([
      { path: '.spec.template.metadata.labels.a/b', message: 'must be of type string' },
      { path: '.spec.template.metadata.labels.c~d', message: 'must be of type string' },
      { path: '.spec.template.metadata.labels.a1', message: 'must be of type string' },
      { path: '.spec.template.metadata.labels.1a', message: 'must be of type string' },
      { path: '.spec.template.spec.containers[10].name', message: 'required field is missing' },
    ]);
  });

  test('fails on a wrong type', () => {
    expect(v.validate(deployment({ name: 'web', image: 'nginx:1' }, { replicas: 'two' }))).toEqual([{ path: '.spec.replicas', message: 'must be of type integer' }]);
  });

  test('fails on a missing required field', () => {
    expect(v.validate(deployment({ image: 'nginx:1' }))).toEqual([{ path: '.spec.template.spec.containers[0].name', message: 'required field is missing' }]);
  });

  test('fails on a value outside an enum', () => {
    expect(v.validate({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port: 80, protocol: 'TCPP' }] } }))
      .toEqual([{ path: '.spec.ports[0].protocol', message: 'must be one of "SCTP", "TCP", "UDP"' }]);
  });

  test('accepts the CRD fields kubernetes-models leaves out (description, x-kubernetes-*) and free-form JSON defaults', () => {
    const withDefault = crd({ type: 'object', properties: { spec: { type: 'object', default: { nested: { any: 1 } }, 'x-kubernetes-preserve-unknown-fields': true } } });
    expect(v.validate(WIDGET)).toEqual([]);
    expect(v.validate(withDefault)).toEqual([]);
  });

  test('fails on a kind that no schema knows, naming it and the fix', () => {
    expect(() => v.validate({ apiVersion: 'apps/v1', kind: 'Deploymant', metadata: { name: 'x' } })).toThrow(
      'no schema knows Deploymant in apps/v1: it is neither a Kubernetes 1.33 kind nor defined by a CustomResourceDefinition in the output (add its CRD, or fix apiVersion and kind)');
    expect(() => v.validate({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'x' } })).toThrow('no schema knows Widget in example.com/v1');
  });
});

describe('SchemaValidator, custom resources (their CRD\'s openAPIV3Schema via ajv)', () => {
  const v = new SchemaValidator([WIDGET]);

  test('a valid resource passes: nullable, int-or-string, preserved unknown fields and maps', () => {
    expect(v.validate(widget({ size: 1, note: null, port: 'http', extra: { any: { thing: [1] } }, labels: { x: 'y' }, either: { a: 'x' } }))).toEqual([]);
    expect(v.validate(widget({ size: 1, port: 8080 }))).toEqual([]);
  });

  test('fails on a misspelled field, a wrong type and a missing required field, each with its path', () => {
    expect(v.validate(widget({ sise: 1 }))).toEqual(expect.arrayContaining([
      { path: '.spec.sise', message: 'unknown field' }, { path: '.spec.size', message: 'required field is missing' },
    ]));
    expect(v.validate(widget({ size: '1' }))).toEqual([{ path: '.spec.size', message: 'must be of type integer' }]);
    expect(v.validate(widget({ size: 1, color: 'green' }))).toEqual([{ path: '.spec.color', message: 'must be one of "red", "blue"' }]);
  });

  test('fails on a field the schema leaves out at the top level, and on unknown metadata', () => {
    expect(v.validate({ ...widget({ size: 1 }), status: {} })).toEqual([{ path: '.status', message: 'unknown field' }]);
    expect(v.validate(widget({ size: 1 }, { name: 'w', labelz: {} }))).toEqual([{ path: '.metadata.labelz', message: 'unknown field' }]);
    // Once from the CRD's root schema, once from the ObjectMeta check.
    expect(v.validate(widget({ size: 1 }, [] as any))).toEqual([
      { path: '.metadata', message: 'must be of type object' }, { path: '.metadata', message: 'must be of type object' },
    ]);
  });

  test('oneOf branches only check values: fields they do not list are not unknown', () => {
    expect(v.validate(widget({ size: 1, either: { b: 'x' } }))).toEqual([]);
    expect(v.validate(widget({ size: 1, either: { a: 'x', c: 'y' } }))).toEqual([{ path: '.spec.either.c', message: 'unknown field' }]);
  });

  test('an embedded resource has apiVersion, kind and metadata without listing them; nullable int-or-string takes null', () => {
    const v2 = new SchemaValidator([crd({
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          properties: {
            template: { type: 'object', 'x-kubernetes-embedded-resource': true, properties: { spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } },
            port: { 'x-kubernetes-int-or-string': true, nullable: true, anyOf: [{ type: 'integer' }, { type: 'string' }] },
          },
        },
      },
    })]);
    expect(v2.validate(widget({ template: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: {} }, port: null }))).toEqual([]);
    expect(v2.validate(widget({ template: { metadata: {}, sepc: {} } }))).toEqual([{ path: '.spec.template.sepc', message: 'unknown field' }]);
  });

  test('makes nested schemas strict: array items, map values; but not where the schema allows other fields', () => {
    const v2 = new SchemaValidator([crd({
      type: 'object',
      maxProperties: 4,
      properties: {
        spec: {
          type: 'object',
          properties: {
            list: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' } } } },
            byName: { type: 'object', additionalProperties: { type: 'object', properties: { port: { type: 'integer' } } } },
            kept: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { a: { type: 'string' } } },
            typed: { type: 'object', properties: { a: { type: 'string' } }, additionalProperties: { type: 'integer' } },
          },
        },
      },
    })]);
    expect(v2.validate(widget({ list: [{ name: 'x' }], byName: { x: { port: 1 } }, kept: { a: 'x', other: 1 }, typed: { a: 'x', b: 1 } }))).toEqual([]);
    expect(v2.validate(widget({ list: [{ name: 'x', nmae: 'y' }], byName: { x: { port: 1, prot: 2 } }, kept: { a: 1 }, typed: { b: 'x' } }))).toEqual([
      { path: '.spec.list[0].nmae', message: 'unknown field' },
      { path: '.spec.byName.x.prot', message: 'unknown field' },
      { path: '.spec.kept.a', message: 'must be of type string' },
      { path: '.spec.typed.b', message: 'must be of type integer' },
    ]);
    expect(v2.validate({ ...widget({}), status: {} })).toEqual([
      { path: '.', message: 'must NOT have more than 4 properties' }, { path: '.status', message: 'unknown field' },
    ]);
  });

  test('a nullable field with a type fails on another type with one violation; one without a type takes null only if nullable', () => {
    expect(v.validate(widget({ size: 1, note: 5 }))).toEqual([{ path: '.spec.note', message: 'must be of type string' }]);
    expect(v.validate(widget({ size: 1, port: null }))).toEqual([
      { path: '.spec.port', message: 'must be of type integer' },
      { path: '.spec.port', message: 'must be of type string' },
      { path: '.spec.port', message: 'must match a schema in anyOf' },
    ]);
    const nullable = new SchemaValidator([crd({
      type: 'object', properties: { spec: { type: 'object', properties: { port: { nullable: true, anyOf: [{ type: 'integer' }, { type: 'string' }] } } } },
    })]);
    expect(nullable.validate(widget({ port: null }))).toEqual([]);
    expect(nullable.validate(widget({ port: true }))).toEqual([
      { path: '.spec.port', message: 'must be of type integer' },
      { path: '.spec.port', message: 'must be of type string' },
      { path: '.spec.port', message: 'must match a schema in anyOf' },
      { path: '.spec.port', message: 'must be of type null' },
      { path: '.spec.port', message: 'must match a schema in anyOf' },
    ]);
  });

  test('an embedded resource\'s apiVersion and kind are strings and its metadata an object', () => {
    const v2 = new SchemaValidator([crd({
      type: 'object',
      properties: { spec: { type: 'object', properties: { template: { type: 'object', 'x-kubernetes-embedded-resource': true } } } },
    })]);
    expect(v2.validate(widget({ template: { apiVersion: 1, kind: 2, metadata: 'x' } }))).toEqual([
      { path: '.spec.template.apiVersion', message: 'must be of type string' },
      { path: '.spec.template.kind', message: 'must be of type string' },
      { path: '.spec.template.metadata', message: 'must be of type object' },
    ]);
  });

  test('a CRD version without a schema takes any fields but checks metadata; CRDs without a spec, names or versions define nothing', () => {
    const free = { ...WIDGET, spec: { ...WIDGET.spec, versions: [{ name: 'v1', served: true, storage: true }] } };
    const v2 = new SchemaValidator([null as any, { kind: 'CustomResourceDefinition' }, { spec: { group: 'example.com', versions: [{ name: 'v1' }] } }, free]);
    expect(v2.validate(widget({ any: { thing: [1] } }))).toEqual([]);
    expect(v2.validate({ ...widget({}), status: 'x' })).toEqual([]);
    expect(v2.validate(widget({}, { name: 'w', labelz: {} }))).toEqual([{ path: '.metadata.labelz', message: 'unknown field' }]);
  });

  test('fails naming the kind when its CRD\'s schema cannot be compiled', () => {
    const broken = new SchemaValidator([crd({ type: 'object', properties: { spec: { type: 'object', required: 'size' } } })]);
    expect(() => broken.validate(widget({}))).toThrow(/^the openAPIV3Schema of Widget example\.com\/v1 in its CRD cannot be compiled \(.*\): fix the CRD/);
  });

  test('fails on a version the CRD does not define', () => {
    expect(() => v.validate({ ...widget({ size: 1 }), apiVersion: 'example.com/v2' })).toThrow('no schema knows Widget in example.com/v2');
  });
});

describe('validateManifests', () => {
  const manifest = (object: any, phase = Phase.APPS): Manifest => ({ phase, object, path: 'test' });

  test('lists every violation by file, object and JSON path, and says nothing was written', () => {
    const bad = [
      manifest(WIDGET, Phase.FOUNDATIONS), manifest(widget({ size: 'big' }), Phase.CUSTOM_RESOURCES),
      manifest(deployment({ name: 'web', image: 'x', imagePullPolicyy: 'Always' })),
      manifest({ apiVersion: 'v1', kind: 'Gizmo', metadata: { name: 'g' } }),
    ];
    expect(() => validateManifests(bad, (m) => `f${m.phase}.yaml`)).toThrow([
      '3 object field(s) fail schema validation (nothing was written):',
      'f3.yaml: Widget ns/w: .spec.size: must be of type integer',
      'f4.yaml: Deployment ns/web: .spec.template.spec.containers[0].imagePullPolicyy: unknown field',
      'f4.yaml: Gizmo g: no schema knows Gizmo in v1: it is neither a Kubernetes 1.33 kind nor defined by a CustomResourceDefinition in the output (add its CRD, or fix apiVersion and kind)',
    ].join('\n'));
  });

  test('passes when every object is valid', () => {
    expect(() => validateManifests([manifest(WIDGET, Phase.FOUNDATIONS), manifest(widget({ size: 1 }))], () => 'f.yaml')).not.toThrow();
  });
});

describe('SchemaValidator with a cache folder', () => {
  const invalid = widget({ size: 'big' });
  const valid = widget({ size: 1 });
  const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'ns' }, data: { password: 'c2VjcmV0' } };
  const run = (cacheDir: string, schema = WIDGET, objects: object[] = [valid, invalid, secret]) => {
    const v = new SchemaValidator([schema], { cacheDir });
    const results = objects.map((o) => v.validate(o));
    v.saveResults();
    return results;
  };

  test('gives the same answers from the cache as without it, and remembers only passing objects that are not Secrets', () => {
    const cacheDir = tmpDir();
    const uncached = [valid, invalid, secret].map((o) => new SchemaValidator([WIDGET]).validate(o));
    expect(run(cacheDir)).toEqual(uncached);
    expect(run(cacheDir)).toEqual(uncached);
    expect(uncached[1]).toEqual([{ path: '.spec.size', message: 'must be of type integer' }]);
    const passed = JSON.parse(fs.readFileSync(path.join(cacheDir, 'passed.json'), 'utf8'));
    expect(passed).toHaveLength(1);
    expect(fs.readdirSync(cacheDir).filter((f) => f.endsWith('.js'))).toHaveLength(1);
  });

  test('checks again when the schema changes: an object that passed fails against a stricter CRD', () => {
    const cacheDir = tmpDir();
    expect(run(cacheDir, WIDGET, [valid])).toEqual([[]]);
    const stricter = crd({ type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer', minimum: 2 } } } } });
    expect(run(cacheDir, stricter, [valid])).toEqual([[{ path: '.spec.size', message: 'must be >= 2' }]]);
  });

  test('takes the objects that passed before as passed, except Secrets, and keeps their digests sorted', () => {
    const cacheDir = tmpDir();
    const SECRET_CRD = crd(WIDGET.spec.versions[0].schema.openAPIV3Schema, 'Secret');
    const manifest = (object: any) => ({ object });
    const objects = [
      valid, secret, { ...valid, kind: 'Secret' },
      ...['a', 'b', 'c', 'd', 'e'].map((name) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'ns' }, data: { k: name } })),
    ].map(manifest);
    const validate = () => validateManifests(objects, () => 'f.yaml', { cacheDir, crds: [WIDGET, SECRET_CRD] });
    expect(validate()).toEqual({ objects: 8, passedBefore: 0 });
    expect(validate()).toEqual({ objects: 8, passedBefore: 7 });
    const passed = JSON.parse(fs.readFileSync(path.join(cacheDir, 'passed.json'), 'utf8'));
    expect(passed).toHaveLength(7);
    expect(passed).toEqual([...passed].sort());
    fs.writeFileSync(path.join(cacheDir, 'passed.json'), JSON.stringify([1, null, ...passed]));
    expect(validate()).toEqual({ objects: 8, passedBefore: 7 });
    fs.writeFileSync(path.join(cacheDir, 'passed.json'), JSON.stringify({ passed }));
    expect(validate()).toEqual({ objects: 8, passedBefore: 0 });
  });

  test('compiles a CRD schema only to word a violation, and keeps one compiled validator per schema', () => {
    const cacheDir = tmpDir();
    const compiledFiles = () => fs.readdirSync(cacheDir).filter((f) => f.endsWith('.js'));
    expect(run(cacheDir, WIDGET, [valid])).toEqual([[]]);
    expect(compiledFiles()).toEqual([]);
    expect(run(cacheDir, WIDGET, [invalid])).toEqual([[{ path: '.spec.size', message: 'must be of type integer' }]]);
    expect(compiledFiles()).toHaveLength(1);
    const stricter = crd({ type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer', minimum: 2 } } } } });
    expect(run(cacheDir, stricter, [valid])).toEqual([[{ path: '.spec.size', message: 'must be >= 2' }]]);
    expect(compiledFiles()).toHaveLength(2);
  });

  test('uses the validator compiled by an earlier run, unless its file does not export one', () => {
    const cacheDir = tmpDir();
    run(cacheDir, WIDGET, [invalid]);
    const [file] = fs.readdirSync(cacheDir).filter((f) => f.endsWith('.js')).map((f) => path.join(cacheDir, f));
    fs.writeFileSync(file, [
      'const { ok } = require("assert");',
      'module.exports = exports.validate = function validate() { ok(true); validate.errors = [{ instancePath: "/spec", keyword: "x", params: {}, message: "from the cache" }]; return false; };',
    ].join('\n'));
    expect(run(cacheDir, WIDGET, [invalid])).toEqual([[{ path: '.spec', message: 'from the cache' }]]);
    fs.writeFileSync(file, 'module.exports = { validate: true };');
    expect(run(cacheDir, WIDGET, [invalid])).toEqual([[{ path: '.spec.size', message: 'must be of type integer' }]]);
  });

  test('a corrupt cache is a miss, never an error', () => {
    const cacheDir = tmpDir();
    run(cacheDir);
    for (const f of fs.readdirSync(cacheDir)) fs.writeFileSync(path.join(cacheDir, f), f.endsWith('.js') ? 'module.exports = (' : '{"not": "a list"');
    expect(run(cacheDir)).toEqual([[], [{ path: '.spec.size', message: 'must be of type integer' }], []]);
    fs.writeFileSync(path.join(cacheDir, 'passed.json'), '');
    expect(run(cacheDir)[1]).toEqual([{ path: '.spec.size', message: 'must be of type integer' }]);
  });
});

/** The upstream CRDs in ../shared/crds (the files `npm run import` reads): the one test data the suite takes from ../shared. */
const SHARED_CRDS = path.resolve(ROOT, '..', 'shared', 'crds');
function upstreamCrds(): any[] {
  const dir = SHARED_CRDS;
  return fs.readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith('.yaml'))
    .flatMap((f) => yaml.loadAll(fs.readFileSync(path.join(dir, f), 'utf8')))
    .filter((d: any) => d?.kind === 'CustomResourceDefinition');
}

if (!fs.existsSync(SHARED_CRDS)) {
  process.stderr.write(`SKIPPED the components' objects against the upstream CRDs: ${SHARED_CRDS} is not there (clone the repository with ../shared beside it)\n`);
}
(fs.existsSync(SHARED_CRDS) ? describe : describe.skip)('the components\' objects against the upstream schemas', () => {
  let validator: SchemaValidator;
  beforeAll(() => { validator = new SchemaValidator(upstreamCrds()); });
  const a = app();
  const istio = new Istio(a, 'istio', { lock: lock() });
  const seldon = new SeldonCore(a, 'seldon', { lock: lock(), istio });
  const metallb = new MetalLb(a, 'metallb', { lock: lock() });
  const iris = new IrisExample(a, 'iris', { gateway: seldon.gateway });
  const irisWithResources = new IrisExample(a, 'iris-sized', { gateway: seldon.gateway, namespace: 'seldon-sized', resources: { requests: { cpu: '100m', memory: '256Mi' } } });
  const nginx = new NginxExample(a, 'nginx', { ingressClass: istio.ingressClass });

  test('IPAddressPool, L2Advertisement, Gateway and SeldonDeployment pass their CRDs; the IngressClass and nginx pass Kubernetes\'', () => {
    const objects = [metallb.pool, metallb.l2Advertisement, seldon.gateway, iris.deployment, irisWithResources.deployment, istio.ingressClass, ...nginx.node.findAll().filter(ApiObject.isApiObject)]
      .map((o) => o.toJson());
    expect(objects.length).toBeGreaterThan(6);
    for (const o of objects) expect({ object: `${o.kind} ${o.metadata.name}`, violations: validator.validate(o) }).toEqual({ object: `${o.kind} ${o.metadata.name}`, violations: [] });
  });

  test('fails on a misspelled Gateway field against Istio\'s CRD', () => {
    const gateway = seldon.gateway.toJson();
    gateway.spec.servers[0].hostz = gateway.spec.servers[0].hosts;
    expect(validator.validate(gateway)).toEqual([{ path: '.spec.servers[0].hostz', message: 'unknown field' }]);
  });

  test('fails on a wrong type in the SeldonDeployment against Seldon\'s CRD', () => {
    const sdep = iris.deployment.toJson();
    sdep.spec.predictors[0].replicas = 'one';
    expect(validator.validate(sdep)).toEqual([{ path: '.spec.predictors[0].replicas', message: 'must be of type integer' }]);
  });
});

describe('the path of a field whose key holds / or ~', () => {
  // ajv escapes such keys in its paths (RFC 6901: ~1 and ~0); a key the validator names must come back as written.
  test('a built-in kind: an unknown field under such a key, and such a key unknown, each by the key as written', () => {
    const definition = crd({ type: 'object', properties: { 'a/b': { type: 'object', bogus: 1, properties: { 'x~1y': { type: 'string', other: 2 } } } } });
    (definition.spec as any)['c/d'] = true;
    (definition.spec as any)['e~1f'] = true;
    const schemaPath = '.spec.versions[0].schema.openAPIV3Schema.properties';
    expect(new SchemaValidator([]).validate(definition)).toEqual([
      { path: '.spec.c/d', message: 'unknown field' },
      { path: '.spec.e~1f', message: 'unknown field' },
      { path: `${schemaPath}.a/b.bogus`, message: 'unknown field' },
      { path: `${schemaPath}.a/b.properties.x~1y.other`, message: 'unknown field' },
    ]);
  });

  test('a custom resource: such a key unknown, missing or of the wrong type, by the key as written', () => {
    const v = new SchemaValidator([crd({
      type: 'object',
      properties: { spec: { type: 'object', required: ['need/ed', 'need~1ed'], properties: { 'need/ed': { type: 'string' }, 'need~1ed': { type: 'string' }, labels: { type: 'object', additionalProperties: { type: 'string' } } } } },
    })]);
    expect(v.validate(widget({ 'c/d': 1, 'e~1f': 2, labels: { 'g/h': 3, 'i~1j': 4 } }))).toEqual([
      { path: '.spec.need/ed', message: 'required field is missing' },
      { path: '.spec.need~1ed', message: 'required field is missing' },
      { path: '.spec.c/d', message: 'unknown field' },
      { path: '.spec.e~1f', message: 'unknown field' },
      { path: '.spec.labels.g/h', message: 'must be of type string' },
      { path: '.spec.labels.i~1j', message: 'must be of type string' },
    ]);
  });
});

describe('which schema checks an object', () => {
  test('a built-in kind is a top-level kind of its own API version: a type that only appears inside objects is none', () => {
    // kubernetes-models has a module v1/Container whose class has no apiVersion or kind.
    expect(() => new SchemaValidator([]).validate({ apiVersion: 'v1', kind: 'Container', metadata: { name: 'c' }, name: 'c', image: 'x' }))
      .toThrow(/^no schema knows Container in v1: it is neither a Kubernetes [0-9.]+ kind nor defined by a CustomResourceDefinition in the output/);
  });

  test('a beta version\'s kind is checked against its own schema', () => {
    expect(new SchemaValidator([]).validate({
      apiVersion: 'batch/v1beta1', kind: 'CronJob', metadata: { name: 'c' }, spec: { schedule: '* * * * *', jobTemplate: {}, bogus: 1 },
    })).toEqual([{ path: '.spec.bogus', message: 'unknown field' }]);
  });

  test('apiVersion and kind of a custom resource must be strings, even ones that name the kind when turned into one', () => {
    const v = new SchemaValidator([WIDGET]);
    expect(v.validate({ ...widget({ size: 1 }), kind: ['Widget'] })).toEqual([{ path: '.kind', message: 'must be of type string' }]);
    expect(v.validate({ ...widget({ size: 1 }), apiVersion: ['example.com/v1'] })).toEqual([{ path: '.apiVersion', message: 'must be of type string' }]);
  });

  test('only a CustomResourceDefinition among the manifests defines a kind, not an object shaped like one', () => {
    const lookalike = { ...WIDGET, apiVersion: 'example.com/v1', kind: 'Lookalike' };
    const manifests = [{ object: lookalike }, { object: widget({ size: 1 }) }] as unknown as Parameters<typeof validateManifests>[0];
    const unknown = (kind: string) => `no schema knows ${kind} in example.com/v1: it is neither a Kubernetes 1.33 kind nor defined by a ` +
      'CustomResourceDefinition in the output (add its CRD, or fix apiVersion and kind)';
    expect(() => validateManifests(manifests, () => 'out.yaml')).toThrow(new Error([
      '2 object field(s) fail schema validation (nothing was written):',
      `out.yaml: Lookalike widgets.example.com: ${unknown('Lookalike')}`,
      `out.yaml: Widget ns/w: ${unknown('Widget')}`,
    ].join('\n')));
  });

  test('a CRD\'s schema is compiled once, however many objects it checks', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const Ajv = require('ajv').default;
    const compile = jest.spyOn(Ajv.prototype, 'compile');
    try {
      const v = new SchemaValidator([WIDGET]);
      for (const size of ['1', '2', '3']) expect(v.validate(widget({ size }))).toEqual([{ path: '.spec.size', message: 'must be of type integer' }]);
      expect(compile).toHaveBeenCalledTimes(1);
    } finally {
      compile.mockRestore();
    }
  });
});

describe('the module a built-in kind is looked up in', () => {
  // Stand-ins for modules of kubernetes-models (jest's virtual modules): each notes when it is loaded.
  const loaded: string[] = [];
  const plant = (name: string, cls?: { apiVersion: string; kind: string; exportedAs: string }) => {
    jest.doMock(`kubernetes-models/${name}`, () => {
      loaded.push(name);
      if (!cls) return {};
      const model = class { validate(): void {} };
      Object.assign(model, { apiVersion: cls.apiVersion, kind: cls.kind });
      return { [cls.exportedAs]: model };
    }, { virtual: true });
  };
  const unknown = (o: { apiVersion: string; kind: string }) =>
    expect(() => new SchemaValidator([]).validate({ ...o, metadata: { name: 'x' } })).toThrow(`no schema knows ${o.kind} in ${o.apiVersion}: `);

  test.each([
    ['an apiVersion with a path after its version', 'v1/../x', 'Widget', 'v1/../x/Widget'],
    ['an API group that is ..', '../v1', 'Widget', '../v1/Widget'],
    ['an API group that is .', './v1', 'Widget', './v1/Widget'],
    ['a kind with a path before its name', 'v1', '../Widget', 'v1/../Widget'],
    ['a kind with a path after its name', 'v1', 'Widget/../Widget', 'v1/Widget/../Widget'],
  ])('%s names no module: none is loaded, and no schema knows the object', (_name, apiVersion, kind, module) => {
    plant(module, { apiVersion, kind, exportedAs: kind });
    preloadBuiltInModels([{ apiVersion, kind }]);
    unknown({ apiVersion, kind });
    expect(loaded).not.toContain(module);
  });

  test.each([
    ['a version of two digits', 'example.com/v10'],
    ['a beta of two digits', 'example.com/v1beta10'],
    ['an alpha', 'example.com/v2alpha1'],
    ['the core group', 'v3'],
  ])('%s is looked up, and its class checks the object', (_name, apiVersion) => {
    plant(`${apiVersion}/Gadget`, { apiVersion, kind: 'Gadget', exportedAs: 'Gadget' });
    expect(new SchemaValidator([]).validate({ apiVersion, kind: 'Gadget', metadata: { name: 'x' } })).toEqual([]);
    expect(loaded).toContain(`${apiVersion}/Gadget`);
  });

  test.each([
    ['another API version', 'example.com/v1beta1', { apiVersion: 'example.com/v2', kind: 'Gizmo', exportedAs: 'Gizmo' }],
    ['another kind', 'example.com/v1beta2', { apiVersion: 'example.com/v1beta2', kind: 'Other', exportedAs: 'Gizmo' }],
    ['no kind at all (a type used inside objects)', 'example.com/v1beta3', { apiVersion: '', kind: '', exportedAs: 'Gizmo' }],
  ])('a module whose class is of %s is not used', (_name, apiVersion, cls) => {
    plant(`${apiVersion}/Gizmo`, cls);
    unknown({ apiVersion, kind: 'Gizmo' });
    expect(loaded).toContain(`${apiVersion}/Gizmo`);
  });
});
