import Ajv from 'ajv';
import { quickCheck, quickCheckable } from '../../lib/schema-check';

/** ajv as SchemaValidator configures it: the authority quickCheck must agree with. */
const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false, logger: false });
const ajvValid = (schema: object, data: unknown) => ajv.compile(schema)(data);

describe('quickCheck', () => {
  test.each<[string, object, unknown[]]>([
    ['types', { type: 'object', properties: { s: { type: 'string' }, n: { type: 'number' }, i: { type: 'integer' }, b: { type: 'boolean' }, a: { type: 'array' } } },
      [{ s: 'x', n: 1.5, i: 2, b: true, a: [] }, { s: 1 }, { n: '1' }, { i: 1.5 }, { b: 'true' }, { a: {} }, [], null, 'x']],
    ['nullable and type lists', { type: 'object', properties: { s: { type: 'string', nullable: true }, t: { type: ['string', 'integer'] }, e: { type: 'string', nullable: true, enum: ['a'] } } },
      [{ s: null }, { t: 'x' }, { t: 3 }, { t: 3.5 }, { t: null }, { e: null }, { e: 'a' }]],
    ['enum and const', { type: 'object', properties: { e: { enum: ['a', 1, { x: [1] }] }, c: { const: { k: 'v' } } } },
      [{ e: 'a' }, { e: 1 }, { e: { x: [1] } }, { e: { x: [2] } }, { e: 'b' }, { c: { k: 'v' } }, { c: { k: 'w' } }, { c: { k: 'v', z: 1 } }]],
    ['required and additionalProperties', { type: 'object', required: ['a'], properties: { a: { type: 'string' } }, additionalProperties: false },
      [{ a: 'x' }, {}, { a: 'x', b: 1 }]],
    ['additionalProperties as a schema', { type: 'object', additionalProperties: { type: 'integer', minimum: 0 } }, [{ a: 1 }, { a: -1 }, { a: 'x' }, {}]],
    ['strings', { type: 'string', minLength: 2, maxLength: 3, pattern: '^[a-z]+$' }, ['ab', 'abc', 'a', 'abcd', 'AB', 'é😀', 'ab1']],
    ['string length in code points', { type: 'string', maxLength: 1 }, ['😀', 'ab']],
    ['numbers', { type: 'number', minimum: 1, maximum: 5, exclusiveMaximum: 5 }, [1, 4.9, 5, 0.5, 6]],
    ['arrays', { type: 'array', minItems: 1, maxItems: 2, uniqueItems: true, items: { type: 'object', properties: { a: { type: 'integer' } } } },
      [[{ a: 1 }], [], [{ a: 1 }, { a: 1 }], [{ a: 1 }, { a: 2 }, { a: 3 }], [{ a: 'x' }]]],
    ['objects by size', { type: 'object', minProperties: 1, maxProperties: 2 }, [{}, { a: 1 }, { a: 1, b: 2, c: 3 }]],
    ['allOf, anyOf, oneOf and not', { allOf: [{ type: 'object' }], anyOf: [{ required: ['a'] }, { required: ['b'] }], oneOf: [{ required: ['a'] }, { required: ['c'] }], not: { required: ['d'] } },
      [{ a: 1 }, { b: 1, c: 1 }, { b: 1 }, { a: 1, c: 1 }, { a: 1, d: 1 }]],
    ['counts at their bounds', { type: 'array', minItems: 1, maxItems: 2, items: { type: 'integer' } }, [[], [1], [1, 2], [1, 2, 3], [1, 'x'], ['x', 1], [1, 1]]],
    ['a minLength alone', { type: 'string', minLength: 2 }, ['a', 'ab']],
    ['every required field', { type: 'object', required: ['a', 'b'] }, [{ a: 1 }, { b: 2 }, { a: 1, b: 2 }]],
    ['object size at its bounds', { type: 'object', minProperties: 1, maxProperties: 2 }, [{ a: 1 }, { a: 1, b: 2 }]],
    ['a maximum alone', { type: 'number', maximum: 5 }, [5, 6]],
    ['an exclusive minimum', { type: 'number', exclusiveMinimum: 1 }, [1, 1.5, 0]],
    ['allOf of several', { allOf: [{ type: 'object' }, { required: ['a'] }] }, [{ a: 1 }, {}, 1]],
    ['an enum of primitives against objects and arrays', { enum: [1, null, 'x'] }, [{}, [], 1, null, 'x', NaN]],
    ['an enum of objects and arrays, compared deeply', { enum: [{}, [1, 2], { a: 1, b: 2 }] },
      [{}, [], 1, null, [1, 2], [1, 3], [1], [1, 2, 3], { a: 1, b: 2 }, { a: 1, b: 3 }, { a: 1 }, { a: 1, c: 2 }, { a: 1, b: 2, c: 3 }]],
    ['NaN against an enum and a const that hold it', { type: 'object', properties: { e: { enum: [NaN, 'a'] }, c: { const: NaN }, n: { enum: [[NaN]] } } },
      [{ e: NaN }, { c: NaN }, { n: [NaN] }, { e: 'a' }]],
    ['uniqueItems with NaN', { type: 'array', uniqueItems: true }, [[NaN, NaN], [NaN, 1], [[1], [1]], [{ a: 1 }, { a: 2 }]]],
    ['patterns in unicode', { type: 'object', properties: { any: { type: 'string', pattern: '^.$' }, upper: { type: 'string', pattern: '^\\p{Lu}$' } } },
      [{ any: '😀' }, { any: 'ab' }, { upper: 'A' }, { upper: 'a' }]],
    ['annotations and Kubernetes extensions are ignored', { type: 'object', description: 'x', default: {}, example: 3, format: 'int32', 'x-kubernetes-preserve-unknown-fields': true,
      properties: { a: { type: 'integer', format: 'date-time', 'x-kubernetes-int-or-string': true } } }, [{ a: 1 }, { a: 'x' }]],
  ])('agrees with ajv: %s', (_name, schema, cases) => {
    expect(quickCheckable(schema)).toBe(true);
    for (const data of cases) expect([data, quickCheck(schema, data)]).toEqual([data, ajvValid(schema, data)]);
  });

  test.each<[string, object]>([
    ['a keyword it does not know', { type: 'object', patternProperties: { '^a': { type: 'string' } } }],
    ['a reference', { $ref: '#/definitions/x', definitions: { x: {} } }],
    ['a tuple of items', { type: 'array', items: [{ type: 'string' }] }],
    ['a boolean schema', { type: 'object', properties: { a: true } }],
    ['a pattern that does not compile', { type: 'string', pattern: '(' }],
    ['nullable without a type', { nullable: true }],
    ['an empty enum', { enum: [] }],
    ['an enum with a value twice', { enum: ['a', 'a'] }],
    ['an unknown type', { type: 'strung' }],
    ['a non-string description', { type: 'string', description: 5 }],
    ['multipleOf', { type: 'number', multipleOf: 2 }],
    ['deep inside', { type: 'object', properties: { a: { type: 'array', items: { anyOf: [{ type: 'object', dependencies: { a: ['b'] } }] } } } }],
  ])('leaves a schema with %s to ajv', (_name, schema) => {
    expect(quickCheckable(schema)).toBe(false);
  });

  test.each<[string, object]>([
    ['a description that is no regular expression', { type: 'string', description: '(' }],
    ['title', { title: 't' }], ['$comment', { $comment: 'c' }], ['description', { description: 'd' }], ['format', { type: 'string', format: 'int32' }],
    ['readOnly', { readOnly: true }], ['writeOnly', { writeOnly: false }], ['deprecated', { deprecated: true }], ['uniqueItems', { uniqueItems: false }],
    ['nullable with a type', { type: 'string', nullable: true }], ['examples', { examples: [1] }], ['example', { example: 'x' }], ['default', { default: 1 }],
    ['minimum', { minimum: 0 }], ['maximum', { maximum: 1.5 }], ['exclusiveMinimum', { exclusiveMinimum: -1 }], ['exclusiveMaximum', { exclusiveMaximum: 2 }],
    ['minItems', { minItems: 0 }], ['maxItems', { maxItems: 3 }], ['minLength', { minLength: 1 }], ['maxLength', { maxLength: 2 }],
    ['minProperties', { minProperties: 1 }], ['maxProperties', { maxProperties: 2 }], ['required', { required: ['a', 'b'] }], ['an empty required', { required: [] }],
    ['a list of types', { type: ['string', 'null'] }], ['const', { const: 1 }], ['not', { not: { type: 'string' } }],
    ['anyOf', { anyOf: [{ type: 'string' }] }], ['oneOf', { oneOf: [{ type: 'string' }, { type: 'integer' }] }], ['allOf', { allOf: [{ type: 'string' }] }],
    ['additionalProperties true', { type: 'object', additionalProperties: true }], ['items', { type: 'array', items: { type: 'string' } }],
  ])('answers for a schema with %s', (_name, schema) => {
    expect(() => ajv.compile(schema)).not.toThrow();
    expect(quickCheckable(schema)).toBe(true);
  });

  test.each<[string, object]>([
    ['an empty list of types', { type: [] }], ['a type twice', { type: ['string', 'string'] }], ['an unknown type in a list', { type: ['string', 'strung'] }],
    ['a type that is a number', { type: 5 }], ['a field required twice', { required: ['a', 'a'] }], ['a required field that is no string', { required: ['a', 1] }],
    ['required as a string', { required: 'a' }], ['a count that is a fraction', { minItems: 1.5 }], ['a negative count', { maxLength: -1 }],
    ['a count that is a string', { minProperties: '1' }], ['a bound that is a string', { exclusiveMinimum: '1' }], ['a title that is a number', { title: 5 }],
    ['a flag that is a string', { readOnly: 'yes' }], ['examples that are no list', { examples: 'x' }], ['an empty allOf', { allOf: [] }],
    ['anyOf as a string', { anyOf: 'ab' }], ['properties as a list', { properties: [{ type: 'string' }] }], ['items as a number', { items: 5 }],
    ['a non-schema in oneOf', { oneOf: [{ type: 'string' }, 5] }], ['additionalProperties as a number', { additionalProperties: 5 }],
  ])('leaves a schema ajv refuses to ajv: %s', (_name, schema) => {
    expect(() => ajv.compile(schema)).toThrow();
    expect(quickCheckable(schema)).toBe(false);
  });

  test('agrees with ajv on a thousand random schemas and objects', () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
    const value = (depth: number): unknown => {
      const kind = pick(['s', 'n', 'i', 'b', 'null', 'a', 'o']);
      if (kind === 's') return pick(['', 'a', 'ab', 'abc', 'x1', 'é😀']);
      if (kind === 'n') return pick([-1.5, 0.5, 2.5]);
      if (kind === 'i') return pick([-1, 0, 1, 2, 3]);
      if (kind === 'b') return random() < 0.5;
      if (kind === 'null' || depth > 2) return null;
      if (kind === 'a') return Array.from({ length: Math.floor(random() * 3) }, () => value(depth + 1));
      return Object.fromEntries(Array.from({ length: Math.floor(random() * 3) }, () => [pick(['a', 'b', 'c']), value(depth + 1)]));
    };
    const schema = (depth: number): Record<string, unknown> => {
      const s: Record<string, unknown> = {};
      const type = pick(['string', 'number', 'integer', 'boolean', 'object', 'array', 'null', undefined, ['string', 'integer']]);
      if (type !== undefined) s.type = type;
      if (type !== undefined && random() < 0.2) s.nullable = true;
      if (random() < 0.1) s.enum = [value(3), value(3), 'a', 1];
      if (random() < 0.2) s.minLength = pick([0, 1, 2]);
      if (random() < 0.2) s.maxLength = pick([1, 2]);
      if (random() < 0.1) s.pattern = pick(['^a', 'b$', '\\d']);
      if (random() < 0.2) s.minimum = pick([0, 1]);
      if (random() < 0.1) s.exclusiveMaximum = pick([1, 2.5]);
      if (random() < 0.2) s.minItems = pick([0, 1]);
      if (random() < 0.2) s.maxItems = pick([1, 2]);
      if (random() < 0.2) s.uniqueItems = true;
      if (random() < 0.2) s.required = pick([['a'], ['a', 'b']]);
      if (random() < 0.1) s.maxProperties = 1;
      if (depth < 3) {
        if (random() < 0.5) s.properties = Object.fromEntries(['a', 'b'].filter(() => random() < 0.6).map((k) => [k, schema(depth + 1)]));
        if (random() < 0.4) s.additionalProperties = random() < 0.5 ? false : schema(depth + 1);
        if (random() < 0.3) s.items = schema(depth + 1);
        if (random() < 0.1) s.anyOf = [schema(depth + 1), schema(depth + 1)];
        if (random() < 0.1) s.oneOf = [schema(depth + 1), schema(depth + 1)];
        if (random() < 0.1) s.allOf = [schema(depth + 1)];
        if (random() < 0.05) s.not = schema(depth + 1);
      }
      return s;
    };
    let checked = 0;
    for (let i = 0; i < 1000; i++) {
      const s = schema(0);
      let validate;
      try {
        validate = ajv.compile(s);
      } catch {
        // A schema ajv refuses is never one quickCheck answers for.
        expect([s, quickCheckable(s)]).toEqual([s, false]);
        continue;
      }
      if (!quickCheckable(s)) continue;
      for (let j = 0; j < 5; j++) {
        const data = value(0);
        expect([s, data, quickCheck(s, data)]).toEqual([s, data, validate(data)]);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(2500);
  });
});
