// Validates every object of the output against its schema, offline and strictly (unknown fields are errors,
// as with `kubectl apply --validate=strict`):
// - built-in kinds against the Kubernetes OpenAPI schema, as compiled by kubernetes-models;
// - custom resources against the openAPIV3Schema of their CRD in the same output, compiled with ajv.
import type { ObjectMeta as ObjectMetaType } from '@kubernetes-models/apimachinery/apis/meta/v1/ObjectMeta';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type Ajv from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type standaloneCodeType from 'ajv/dist/standalone';
import { sha256Hex, writeCacheFile } from './cache-files';
import { quickCheck, quickCheckable } from './schema-check';
import { describeObject, isCrd, Manifest } from './manifests';
import { groupOf } from './resource-scope';

/** The Kubernetes minor version whose OpenAPI schema kubernetes-models was generated from. */
export const BUILT_IN_SCHEMA_VERSION = '1.33';

/** One violation: where it is and what is wrong. */
export interface SchemaViolation {
  /** A JSON path, e.g. `.spec.template.spec.containers[0].image`; `.` for the object itself. */
  readonly path: string;
  readonly message: string;
}

type Json = Record<string, any>;
type CompiledCheck = (object: Json) => SchemaViolation[];

/** `/spec/ports/0/port` → `.spec.ports[0].port`. */
function jsonPath(pointer: string): string {
  if (!pointer) return '.';
  return pointer.split('/').slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? `[${s}]` : `.${s}`)).join('');
}

/** The JSON pointer of `key` under `pointer`, with `~` and `/` in the key escaped (RFC 6901), as ajv writes instancePath. */
const childPointer = (pointer: string, key: string): string => `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;

function describeError(e: ErrorObject): SchemaViolation {
  const p = e.params as Record<string, any>;
  const at = jsonPath(e.instancePath);
  switch (e.keyword) {
    case 'required': return { path: jsonPath(childPointer(e.instancePath, String(p.missingProperty))), message: 'required field is missing' };
    case 'additionalProperties': return { path: jsonPath(childPointer(e.instancePath, String(p.additionalProperty))), message: 'unknown field' };
    case 'type': return { path: at, message: `must be of type ${p.type}` };
    case 'enum': return { path: at, message: `must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}` };
    default: return { path: at, message: e.message ?? `fails "${e.keyword}" ${JSON.stringify(p)}` };
  }
}

/**
 * Runs a validation function on a read-tracking view of the object and reports the fields it never
 * looked at. The compiled Kubernetes validators read every field their schema declares, and iterate
 * over maps, so a field the validator never read is one the schema does not know. Objects of which
 * nothing at all was read are free-form (RawExtension, JSON) and are left alone.
 */
function runTracked(validate: (data: unknown) => void, object: Json, ignoreUnknown: (key: string) => boolean, at = ''): SchemaViolation[] {
  const records: Array<{ pointer: string; value: object; read: Set<string> }> = [];
  const wrap = (value: unknown, pointer: string): unknown => {
    if (value === null || typeof value !== 'object') return value;
    const read = new Set<string>();
    records.push({ pointer, value, read });
    const children = new Map<string, unknown>();
    return new Proxy(value, {
      get(target, key, receiver) {
        const v = Reflect.get(target, key, receiver);
        if (typeof key !== 'string') return v;
        read.add(key);
        // What the object inherits is not a field; a field that is not an object, wrap gives back as it is.
        if (!Object.prototype.hasOwnProperty.call(target, key)) return v;
        if (!children.has(key)) children.set(key, wrap(v, childPointer(pointer, key)));
        return children.get(key);
      },
      has(target, key) {
        if (typeof key === 'string') read.add(key);
        return Reflect.has(target, key);
      },
    });
  };
  const violations: SchemaViolation[] = [];
  try {
    validate(wrap(object, at));
  } catch (e) {
    const errors = (e as { errors?: ErrorObject[] }).errors;
    if (!errors) throw e;
    violations.push(...errors.map((err) => describeError({ ...err, instancePath: `${at}${err.instancePath}` })));
  }
  for (const { pointer, value, read } of records) {
    if (Array.isArray(value) || read.size === 0) continue;
    for (const key of Object.keys(value)) {
      if (!read.has(key) && !ignoreUnknown(key)) violations.push({ path: jsonPath(childPointer(pointer, key)), message: 'unknown field' });
    }
  }
  return violations;
}

interface ModelClass { (...args: unknown[]): unknown; apiVersion: string; kind: string; prototype: { validate(): void } }

/**
 * The kubernetes-models class for a built-in kind, if it has one: its own module, not the API group's index.
 * A rendered object's apiVersion and kind name the module, so only a group (no `.` or `..` segment), a
 * version and a kind name may: never a path to code elsewhere.
 */
function builtInModel(apiVersion: string, kind: string): ModelClass | undefined {
  if (!/^([a-z0-9][a-z0-9.-]*\/)?v[0-9]+((alpha|beta)[0-9]+)?$/.test(apiVersion) || !/^[A-Z][A-Za-z0-9]*$/.test(kind)) return undefined;
  let mod: Record<string, unknown>;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    mod = require(`kubernetes-models/${apiVersion}/${kind}`);
  } catch {
    return undefined;
  }
  const cls = mod[kind] as ModelClass | undefined;
  return typeof cls === 'function' && cls.apiVersion === apiVersion && cls.kind === kind ? cls : undefined;
}

/** kubernetes-models' ObjectMeta, which checks custom resources' metadata: loaded when first needed (with it, the libraries every kind's check uses). */
function objectMeta(): typeof ObjectMetaType {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('@kubernetes-models/apimachinery/apis/meta/v1/ObjectMeta') as { ObjectMeta: typeof ObjectMetaType }).ObjectMeta;
}

/**
 * Loads, ahead of a validation, the kubernetes-models modules of the built-in kinds among `objects` (and
 * what every check uses), so that the validation finds them loaded: for a caller with time to spare, such as
 * while helm runs. Kinds without a module are skipped; nothing is checked.
 */
export function preloadBuiltInModels(objects: Iterable<{ apiVersion: string; kind: string }>): void {
  objectMeta();
  const seen = new Set<string>();
  for (const { apiVersion, kind } of objects) {
    if (seen.has(`${apiVersion}/${kind}`)) continue;
    seen.add(`${apiVersion}/${kind}`);
    builtInModel(apiVersion, kind);
  }
}

/**
 * Fields Kubernetes defines but kubernetes-models' compiled schemas leave out, so their validators never
 * read them: every field named `description` (JSONSchemaProps, CustomResourceColumnDefinition,
 * PriorityClass) and the `x-kubernetes-*` extensions of JSONSchemaProps. They are accepted unchecked.
 */
function droppedByKubernetesModels(key: string): boolean {
  return key === 'description' || key.startsWith('x-kubernetes-');
}

function builtInCheck(cls: ModelClass): CompiledCheck {
  return (object) => runTracked((data) => cls.prototype.validate.call(data), object, droppedByKubernetesModels);
}

/**
 * Makes a structural schema strict the way the API server's field validation is: an object schema with
 * `properties` allows no other fields unless it says `x-kubernetes-preserve-unknown-fields`. Only the
 * structural parts are walked; `allOf`/`anyOf`/`oneOf`/`not` only add value checks. An embedded
 * resource (`x-kubernetes-embedded-resource`) has apiVersion, kind and metadata whether it lists them
 * or not, and `nullable` without a `type` (ajv wants one) becomes "this, or null".
 */
function strictSchema(schema: Json): Json {
  const out: Json = { ...schema };
  if (out['x-kubernetes-embedded-resource']) {
    out.properties = { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true }, ...out.properties };
  }
  if (out.properties) {
    out.properties = Object.fromEntries(Object.entries(out.properties as Json).map(([k, v]) => [k, strictSchema(v)]));
    if (out.additionalProperties === undefined && !out['x-kubernetes-preserve-unknown-fields']) out.additionalProperties = false;
  }
  if (out.items && typeof out.items === 'object') out.items = strictSchema(out.items);
  if (out.additionalProperties && typeof out.additionalProperties === 'object') out.additionalProperties = strictSchema(out.additionalProperties);
  if (out.nullable && out.type === undefined) {
    const { nullable: _, ...rest } = out;
    return { anyOf: [rest, { type: 'null' }] };
  }
  return out;
}

export interface SchemaValidatorOptions {
  /**
   * A folder for what the next run can reuse: the validators compiled from CRD schemas (ajv's standalone
   * code, named by the digest of the schema they check) and the digests of the objects that passed, each
   * with the digest of its schema and of this validator. A file that does not load is a miss.
   * @default - none: every run compiles and checks everything
   */
  readonly cacheDir?: string;
  /**
   * The file in the cache folder for the digests of passing objects: each set of objects validated in a
   * run keeps its own, so one does not replace another's. @default "passed.json"
   */
  readonly resultsFile?: string;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const AJV_VERSION: string = require('ajv/package.json').version;
/** What a passing result depends on besides the object and its schema: this validator's code and the libraries it runs. */
const VALIDATOR_DIGEST = createHash('sha256')
  .update(fs.readFileSync(__filename))
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  .update(`ajv ${AJV_VERSION} kubernetes-models ${require('kubernetes-models/package.json').version}`)
  .digest('hex');
const digest = sha256Hex;
const RESULTS_FILE = 'passed.json';

/** Validates objects against the Kubernetes schemas and the CRDs it was given. */
export class SchemaValidator {
  // Each CRD schema is compiled once to check a handful of objects: ajv's code optimizer costs more than it
  // saves (Seldon's 1 MB schema compiles in 0.2 s instead of 0.55 s without it).
  // ajv is loaded only when a schema must be compiled: to word a failure, or for keywords the quick check does not know.
  private ajvInstance?: Ajv;
  private readonly crdSchemas = new Map<string, Json | undefined>();
  private readonly compiled = new Map<string, CompiledCheck | undefined>();
  private readonly schemaDigests = new Map<string, string>();
  /** Digests of (validator, schema, object) that passed in an earlier run, and those that pass in this one. */
  private readonly passedBefore: ReadonlySet<string>;
  private readonly passedNow = new Set<string>();
  /** How many objects this validator took as passed because an earlier run checked them. */
  public passedBeforeCount = 0;

  /** @param crds the CustomResourceDefinitions whose kinds the objects may use */
  public constructor(crds: readonly Json[], private readonly options: SchemaValidatorOptions = {}) {
    this.passedBefore = options.cacheDir ? readPassed(path.join(options.cacheDir, options.resultsFile ?? RESULTS_FILE)) : new Set();
    for (const crd of crds) {
      for (const version of crd?.spec?.versions ?? []) {
        const key = `${crd.spec.group}/${version.name}/${crd.spec.names?.kind}`;
        this.crdSchemas.set(key, version.schema?.openAPIV3Schema);
      }
    }
  }

  /** The violations of one object; throws for a kind that no schema knows. */
  public validate(object: Json): SchemaViolation[] {
    // A Secret's digest could confirm a guess at a weak password: Secrets are checked every time, never remembered.
    const result = this.options.cacheDir && !(object.apiVersion === 'v1' && object.kind === 'Secret') ? digest(`${VALIDATOR_DIGEST}\n${this.schemaDigest(object)}\n${JSON.stringify(object)}`) : undefined;
    if (result && this.passedBefore.has(result)) {
      this.passedNow.add(result);
      this.passedBeforeCount++;
      return [];
    }
    const violations = this.check(object);
    if (result && violations.length === 0) this.passedNow.add(result);
    return violations;
  }

  /** Keeps the digests of the objects that passed in this run (and only those) for the next run. */
  public saveResults(): void {
    if (this.options.cacheDir) writeCacheFile(path.join(this.options.cacheDir, this.options.resultsFile ?? RESULTS_FILE), JSON.stringify([...this.passedNow].sort()));
  }

  /** The digest of the schema an object is checked against: its CRD's, or the built-in kind's name (the library's version is in VALIDATOR_DIGEST). */
  private schemaDigest(object: Json): string {
    const crdKey = `${groupOf(String(object.apiVersion))}/${String(object.apiVersion).split('/').pop()}/${object.kind}`;
    let d = this.schemaDigests.get(crdKey);
    if (d === undefined) {
      d = this.crdSchemas.has(crdKey) ? digest(`crd\n${JSON.stringify(this.crdSchemas.get(crdKey) ?? null)}`) : `built-in ${object.apiVersion} ${object.kind}`;
      this.schemaDigests.set(crdKey, d);
    }
    return d;
  }

  private check(object: Json): SchemaViolation[] {
    const key = `${object.apiVersion}/${object.kind}`;
    if (!this.compiled.has(key)) this.compiled.set(key, this.compile(String(object.apiVersion), String(object.kind)));
    const check = this.compiled.get(key);
    if (!check) {
      throw new Error(`no schema knows ${object.kind} in ${object.apiVersion}: it is neither a Kubernetes ${BUILT_IN_SCHEMA_VERSION} ` +
        'kind nor defined by a CustomResourceDefinition in the output (add its CRD, or fix apiVersion and kind)');
    }
    return check(object);
  }

  private compile(apiVersion: string, kind: string): CompiledCheck | undefined {
    const crdKey = `${groupOf(apiVersion)}/${apiVersion.split('/').pop()}/${kind}`;
    if (this.crdSchemas.has(crdKey)) return this.customCheck(this.crdSchemas.get(crdKey), `${kind} ${apiVersion}`);
    const cls = builtInModel(apiVersion, kind);
    return cls ? builtInCheck(cls) : undefined;
  }

  private get ajv(): Ajv {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const AjvClass = require('ajv').default as typeof Ajv;
    this.ajvInstance ??= new AjvClass({ allErrors: true, strict: false, validateFormats: false, logger: false, code: { optimize: false, source: true } });
    return this.ajvInstance;
  }

  /** Compiles a schema, or loads the code an earlier run compiled from the same schema. */
  private compileCached(schema: Json, what: string): ValidateFunction {
    const file = this.options.cacheDir
      ? path.join(this.options.cacheDir, `${digest(`ajv ${AJV_VERSION}\n${JSON.stringify(schema)}`)}.js`)
      : undefined;
    const cached = file ? loadStandalone(file) : undefined;
    if (cached) return cached;
    let validate: ValidateFunction;
    try {
      validate = this.ajv.compile(schema);
    } catch (e) {
      throw new Error(`the openAPIV3Schema of ${what} in its CRD cannot be compiled (${(e as Error).message}): fix the CRD, or report it if the CRD is upstream's`);
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    if (file) writeCacheFile(file, (require('ajv/dist/standalone').default as typeof standaloneCodeType)(this.ajv, validate));
    return validate;
  }

  private customCheck(schema: Json | undefined, what: string): CompiledCheck {
    const root = strictSchema(schema ?? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true });
    // apiVersion, kind and metadata are the API server's, whatever the CRD says of them; metadata is checked below.
    root.properties = { ...root.properties, apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' } };
    // Most objects pass: a quick walk along the schema says so without compiling it; ajv (compiled once,
    // or loaded from the cache) checks only what the walk cannot, and words the violations.
    const quick = quickCheckable(root);
    let compiled: ValidateFunction | undefined;
    const validate = (object: Json) => {
      compiled ??= this.compileCached(root, what);
      return compiled(object) ? [] : (compiled.errors ?? []).map(describeError);
    };
    return (object) => {
      const violations = quick && quickCheck(root, object) ? [] : validate(object);
      const meta = runTracked((data) => objectMeta().prototype.validate.call(data), object.metadata ?? {}, () => false, '/metadata');
      return [...violations, ...meta];
    };
  }
}

/** A validator compiled by an earlier run, or undefined when the file is missing or does not load (then it is compiled anew). */
function loadStandalone(file: string): ValidateFunction | undefined {
  try {
    const module = { exports: {} as unknown };
    // The code is ajv's own output for a schema, written by this class into the tool's cache folder.
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    new Function('require', 'module', 'exports', fs.readFileSync(file, 'utf8'))(require, module, module.exports);
    return typeof module.exports === 'function' ? module.exports as ValidateFunction : undefined;
  } catch {
    return undefined;
  }
}

/** The digests of objects that passed before; an unreadable or malformed file is an empty set. */
function readPassed(file: string): ReadonlySet<string> {
  try {
    const list = JSON.parse(fs.readFileSync(file, 'utf8'));
    return new Set(Array.isArray(list) ? list.filter((d): d is string => typeof d === 'string') : []);
  } catch {
    return new Set();
  }
}

/** What a validation did: how many objects it validated, and how many of them an earlier run had checked. */
export interface ValidationReport {
  readonly objects: number;
  readonly passedBefore: number;
}

/**
 * Validates every manifest, CRs against the CRDs among them (and `options.crds`), and throws one error that
 * lists every violation by file, object and JSON path. `fileOf` names the file each manifest is written to.
 */
export function validateManifests<M extends Pick<Manifest, 'object'>>(
  manifests: readonly M[], fileOf: (m: M) => string, options: SchemaValidatorOptions & { readonly crds?: readonly Json[] } = {},
): ValidationReport {
  const crds = [...(options.crds ?? []), ...manifests.map((m) => m.object).filter(isCrd)];
  const validator = new SchemaValidator(crds, options);
  const problems: string[] = [];
  for (const m of manifests) {
    const where = `${fileOf(m)}: ${describeObject(m.object)}`;
    try {
      for (const v of validator.validate(m.object)) problems.push(`${where}: ${v.path}: ${v.message}`);
    } catch (e) {
      problems.push(`${where}: ${(e as Error).message}`);
    }
  }
  if (problems.length) {
    throw new Error(`${problems.length} object field(s) fail schema validation (nothing was written):\n${problems.join('\n')}`);
  }
  validator.saveResults();
  return { objects: manifests.length, passedBefore: validator.passedBeforeCount };
}
