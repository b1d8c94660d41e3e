// Reading platform.yaml: parsed with line numbers, laid over its profile's defaults, validated against the
// assembled schema and then by the checks a schema cannot make. Every problem is reported at once, each
// with the file, the line, the setting, the bad value and what would be accepted.
import * as path from 'path';
import type Ajv from 'ajv';
import type { ErrorObject } from 'ajv';
import { isMap, LineCounter, parseDocument } from 'yaml';
import { quickCheck, quickCheckable, readTextFile, shown } from '../lib';
import { COMPONENTS } from '../charts/registry';
import { ComponentDefinition } from '../charts/component';
import { configProblems, settingName } from './checks';
import { PROFILE_NAMES, ProfileName } from './core';
import { overlay, profiles } from './profiles';
import { configSchema, PlatformConfig } from './schema';

/** Where in the file a setting is, for messages. */
type Locate = (settingPath: readonly (string | number)[]) => string;

const isObject = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === 'object' && !Array.isArray(x);

function schemaMessage(e: ErrorObject, locate: Locate): string {
  const at = e.instancePath.split('/').slice(1).map((s) => (/^\d+$/.test(s) ? Number(s) : s.replace(/~1/g, '/').replace(/~0/g, '~')));
  const value = shown(e.data);
  const p = e.params as Record<string, any>;
  switch (e.keyword) {
    case 'additionalProperties': {
      const known = Object.keys((e.parentSchema as any)?.properties ?? {}).join(', ');
      return `${locate([...at, p.additionalProperty])}: unknown setting "${settingName([...at, p.additionalProperty])}"; ${at.length ? `the settings under ${settingName(at)}` : 'the top-level settings'} are ${known}`;
    }
    case 'enum':
      return `${locate(at)}: ${settingName(at)} is ${value}, which is not one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'type':
      return `${locate(at)}: ${settingName(at)} is ${value}, which is not ${/^[aeiou]/.test(p.type) ? 'an' : 'a'} ${p.type}`;
    case 'pattern':
      return `${locate(at)}: ${settingName(at)} is ${value}, which is not ${(e.parentSchema as any)['x-accepts'] ?? `matching ${p.pattern}`}`;
    case 'minimum': case 'maximum':
      return `${locate(at)}: ${settingName(at)} is ${value}; use a value ${e.keyword === 'minimum' ? 'of at least' : 'of at most'} ${p.limit}`;
    default:
      return `${locate(at)}: ${settingName(at)} ${e.message}`;
  }
}

export interface LoadedConfig {
  readonly config: PlatformConfig;
  /** The file it came from. */
  readonly file: string;
  /** The chart lock, resolved against the file's folder. */
  readonly lockFile: string;
  /** The values folder, resolved against the file's folder. */
  readonly valuesDir: string;
}

/**
 * The schema of a component list, and its ajv validator, compiled only when the quick check cannot say the
 * settings are valid: to word what is wrong (compiling it costs more than the rest of loading).
 */
interface ConfigValidator {
  readonly schema: ReturnType<typeof configSchema>;
  readonly quick: boolean;
  compiled?: ReturnType<Ajv['compile']>;
}
const validators = new Map<readonly ComponentDefinition[], ConfigValidator>();
function validatorFor(components: readonly ComponentDefinition[]): ConfigValidator {
  let v = validators.get(components);
  if (!v) {
    const schema = configSchema(components);
    v = { schema, quick: quickCheckable(schema) };
    validators.set(components, v);
  }
  return v;
}

/** The settings' schema violations as ajv words them; none when the quick check finds the settings valid. */
function schemaErrors(components: readonly ComponentDefinition[], settings: unknown): ErrorObject[] {
  const v = validatorFor(components);
  if (v.quick && quickCheck(v.schema, settings)) return [];
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  v.compiled ??= new (require('ajv').default as typeof Ajv)({ allErrors: true, strict: false, verbose: true }).compile(v.schema);
  return v.compiled(settings) ? [] : v.compiled.errors ?? [];
}

/**
 * Reads a configuration file, lays it over its profile's defaults and validates the result against the
 * components' slices. Every problem is reported at once.
 */
export function loadConfig(file: string, components: readonly ComponentDefinition[] = COMPONENTS): LoadedConfig {
  const text = readTextFile(file, 'configuration file', {
    maxBytes: 1024 * 1024, fix: 'point PLATFORM_CONFIG at the platform\'s configuration (a file with "profile: lab" is the tutorial)',
  });
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const name = path.basename(file);
  if (doc.errors.length) {
    const e = doc.errors[0];
    const { line, col } = lineCounter.linePos(e.pos[0]);
    throw new Error(`${file}:${line}:${col}: the YAML does not parse: ${e.message.split('\n')[0]}`);
  }
  const raw = doc.toJS() ?? {};
  const locate: Locate = (p) => {
    for (let n = p.length; n > 0; n--) {
      const node = doc.getIn(p.slice(0, n), true) as { range?: [number, number, number] } | undefined;
      const pair = n === p.length && isMap(doc.getIn(p.slice(0, -1), true)) ? (doc.getIn(p.slice(0, -1), true) as any).items.find((i: any) => i.key?.value === p[p.length - 1]) : undefined;
      const range = pair?.key?.range ?? node?.range;
      if (range) return `${name}:${lineCounter.linePos(range[0]).line}`;
    }
    return `${name} (the ${String(raw?.profile ?? 'lab')} profile's default)`;
  };
  if (!isObject(raw)) throw new Error(`${name}: the file holds ${Array.isArray(raw) ? 'a list' : shown(raw)}, not settings; write settings such as "profile: lab"`);
  const profile = raw.profile ?? 'lab';
  if (typeof profile !== 'string' || !(PROFILE_NAMES as readonly string[]).includes(profile)) {
    throw new Error(`${locate(['profile'])}: profile is ${shown(profile)}, which is not one of ${PROFILE_NAMES.map((p) => `"${p}"`).join(', ')}`);
  }
  const merged = overlay(profiles(components)[profile as ProfileName], raw);
  const errors = schemaErrors(components, merged);
  if (errors.length) throw new Error(`${file} has invalid settings:\n${errors.map((e) => schemaMessage(e, locate)).join('\n')}`);
  const config = merged as PlatformConfig;
  const problems = configProblems(config, components).map((p) => `${locate(p.setting)}: ${settingName(p.setting)}: ${p.message}`);
  if (problems.length) throw new Error(`${file} has invalid settings:\n${problems.join('\n')}`);
  const dir = path.dirname(file);
  return { config, file, lockFile: path.resolve(dir, config.charts.lock), valuesDir: path.resolve(dir, config.charts.values) };
}
