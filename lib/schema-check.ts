// A quick check of an object against a structural CRD schema, by walking the object along the schema:
// checking one object against Seldon's 1 MB schema takes a millisecond, where compiling the schema with
// ajv takes 200. It answers only for schemas made of the keywords it knows (those of structural CRD
// schemas), each holding a value ajv accepts, and it is never more lenient than ajv with the options
// SchemaValidator gives it; for anything else, and to word the violations, SchemaValidator uses ajv.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const TYPES = new Set(['string', 'number', 'integer', 'boolean', 'object', 'array', 'null']);
const COUNTS = ['minItems', 'maxItems', 'minLength', 'maxLength', 'minProperties', 'maxProperties'];
const BOUNDS = ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum'];
const STRINGS = ['description', 'title', '$comment', 'format', 'pattern'];
const FLAGS = ['readOnly', 'writeOnly', 'deprecated', 'uniqueItems', 'nullable'];
const SCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf'];
/** Keywords ajv ignores here: annotations (formats are not validated). */
const IGNORED = new Set(['default', 'examples', 'example']);
const KNOWN = new Set(['type', 'enum', 'const', 'properties', 'additionalProperties', 'required', 'items', 'not', ...COUNTS, ...BOUNDS, ...STRINGS, ...FLAGS, ...SCHEMA_LISTS, ...IGNORED]);

const isObject = (x: unknown): x is Record<string, Json> => x !== null && typeof x === 'object' && !Array.isArray(x);

/** Whether `schema` (and every schema inside it) uses only what quickCheck knows, with values ajv would accept. */
export function quickCheckable(schema: Json): boolean {
  if (!isObject(schema)) return false;
  for (const [k, v] of Object.entries(schema)) {
    if (k.startsWith('x-')) continue;
    if (!KNOWN.has(k)) return false;
    if (k === 'type' && !(typeof v === 'string' ? TYPES.has(v) : Array.isArray(v) && v.length > 0 && v.every((t) => TYPES.has(t)) && new Set(v).size === v.length)) return false;
    if (k === 'enum' && !(Array.isArray(v) && v.length > 0 && v.every((x, i) => v.slice(i + 1).every((y) => !equal(x, y))))) return false;
    if (k === 'examples' && !Array.isArray(v)) return false;
    if (k === 'nullable' && schema.type === undefined) return false;
    if (k === 'required' && !(Array.isArray(v) && v.every((r) => typeof r === 'string') && new Set(v).size === v.length)) return false;
    if (COUNTS.includes(k) && !(Number.isInteger(v) && v >= 0)) return false;
    if (BOUNDS.includes(k) && typeof v !== 'number') return false;
    if (STRINGS.includes(k) && typeof v !== 'string') return false;
    if (FLAGS.includes(k) && typeof v !== 'boolean') return false;
    if (k === 'pattern' && !regexOf(v)) return false;
    if (k === 'properties' && !(isObject(v) && Object.values(v).every(quickCheckable))) return false;
    if (k === 'additionalProperties' && typeof v !== 'boolean' && !quickCheckable(v)) return false;
    if ((k === 'items' || k === 'not') && !quickCheckable(v)) return false;
    if (SCHEMA_LISTS.includes(k) && !(Array.isArray(v) && v.length > 0 && v.every(quickCheckable))) return false;
  }
  return true;
}

const regexes = new Map<string, RegExp | undefined>();
/** The pattern as ajv compiles it (unicode), or undefined when it does not compile. */
function regexOf(pattern: string): RegExp | undefined {
  if (!regexes.has(pattern)) {
    let re: RegExp | undefined;
    try {
      re = new RegExp(pattern, 'u');
    } catch {
      re = undefined;
    }
    regexes.set(pattern, re);
  }
  return regexes.get(pattern);
}

/** Deep equality as ajv's enum, const and uniqueItems use it. */
function equal(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return a !== a && b !== b; // NaN
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === b.length && a.every((x: Json, i: number) => equal(x, b[i]));
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => Object.prototype.hasOwnProperty.call(b, k) && equal(a[k], b[k]));
}

/** Whether `data` is the value of an enum or const as ajv compares them: primitives with ===, so NaN is no NaN there. */
function isValue(value: Json, data: Json): boolean {
  return value !== null && typeof value === 'object' ? equal(value, data) : value === data;
}

function hasType(type: string, d: Json): boolean {
  switch (type) {
    case 'string': return typeof d === 'string';
    case 'number': return typeof d === 'number' && Number.isFinite(d);
    case 'integer': return typeof d === 'number' && Number.isFinite(d) && d % 1 === 0;
    case 'boolean': return typeof d === 'boolean';
    case 'null': return d === null;
    case 'array': return Array.isArray(d);
    default: return isObject(d);
  }
}

/** Whether `data` is valid against `schema`; only for schemas quickCheckable accepts. */
export function quickCheck(schema: Json, data: Json): boolean {
  const s = schema;
  if (s.type !== undefined) {
    const types: string[] = Array.isArray(s.type) ? s.type : [s.type];
    if (!(types.some((t) => hasType(t, data)) || (s.nullable === true && data === null))) return false;
  }
  if (s.enum !== undefined && !s.enum.some((e: Json) => isValue(e, data))) return false;
  if (s.const !== undefined && !isValue(s.const, data)) return false;
  if (typeof data === 'string') {
    if (s.minLength !== undefined || s.maxLength !== undefined) {
      const length = [...data].length;
      if (length < (s.minLength ?? 0) || length > (s.maxLength ?? Infinity)) return false;
    }
    if (s.pattern !== undefined && !regexOf(s.pattern)!.test(data)) return false;
  } else if (typeof data === 'number') {
    if (s.minimum !== undefined && !(data >= s.minimum)) return false;
    if (s.maximum !== undefined && !(data <= s.maximum)) return false;
    if (s.exclusiveMinimum !== undefined && !(data > s.exclusiveMinimum)) return false;
    if (s.exclusiveMaximum !== undefined && !(data < s.exclusiveMaximum)) return false;
  } else if (Array.isArray(data)) {
    if (data.length < (s.minItems ?? 0) || data.length > (s.maxItems ?? Infinity)) return false;
    if (s.items !== undefined && !data.every((item) => quickCheck(s.items, item))) return false;
    if (s.uniqueItems === true && data.some((x, i) => data.slice(i + 1).some((y) => equal(x, y)))) return false;
  } else if (isObject(data)) {
    const keys = Object.keys(data);
    if (keys.length < (s.minProperties ?? 0) || keys.length > (s.maxProperties ?? Infinity)) return false;
    if (s.required !== undefined && !s.required.every((k: string) => data[k] !== undefined)) return false;
    const props = s.properties ?? {};
    for (const k of keys) {
      if (Object.prototype.hasOwnProperty.call(props, k)) {
        if (!quickCheck(props[k], data[k])) return false;
      } else if (s.additionalProperties === false) {
        return false;
      } else if (isObject(s.additionalProperties) && !quickCheck(s.additionalProperties, data[k])) {
        return false;
      }
    }
  }
  if (s.allOf !== undefined && !s.allOf.every((x: Json) => quickCheck(x, data))) return false;
  if (s.anyOf !== undefined && !s.anyOf.some((x: Json) => quickCheck(x, data))) return false;
  if (s.oneOf !== undefined && s.oneOf.filter((x: Json) => quickCheck(x, data)).length !== 1) return false;
  if (s.not !== undefined && quickCheck(s.not, data)) return false;
  return true;
}
