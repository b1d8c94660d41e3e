// Fields of an object that a controller sets once it runs, which the output cannot show (istiod turns its
// validating webhook's failurePolicy to Fail once it serves). Components declare them on the rendered
// object; GitOps controllers are told to leave them alone. They travel with the object, never into the output.
import { ApiObject } from 'cdk8s';

const RUNTIME_FIELDS = Symbol.for('ml-platform.runtime-fields');

/** The jq paths this takes, as Argo CD's jqPathExpressions: `.spec.x`, with `[]` or `[]?` after a field for each element. */
const JQ_PATH = /^(\.[A-Za-z_][A-Za-z0-9_]*(\[\]\??)?)+$/;

/** Declares fields of `object` that a controller sets at run time, as jq paths such as `.webhooks[]?.failurePolicy`. */
export function declareRuntimeFields(object: ApiObject, paths: readonly string[]): void {
  for (const p of paths) {
    if (!JQ_PATH.test(p)) throw new Error(`runtime field ${JSON.stringify(p)} of ${object.kind} ${object.name} is not a path such as .spec.field or .webhooks[]?.field`);
  }
  const declared: string[] = (object as any)[RUNTIME_FIELDS] ?? [];
  Object.defineProperty(object, RUNTIME_FIELDS, { value: [...new Set([...declared, ...paths])], configurable: true });
}

/** The runtime fields declared on `object`, in the order declared. */
export function runtimeFieldsOf(object: ApiObject): readonly string[] {
  return (object as any)[RUNTIME_FIELDS] ?? [];
}

/**
 * The JSON pointers (RFC 6901) a jq path reaches in `object`: a field step goes on whether the field is
 * there or not (a controller may add it), an array step becomes one step per element the array has.
 */
export function jsonPointers(jqPath: string, object: unknown): string[] {
  let reached: Array<{ pointer: string; value: unknown }> = [{ pointer: '', value: object }];
  for (const [, field, array] of jqPath.matchAll(/\.([A-Za-z_][A-Za-z0-9_]*)(\[\]\??)?/g)) {
    reached = reached.map(({ pointer, value }) => ({ pointer: `${pointer}/${field}`, value: (value as any)?.[field] }));
    if (array) {
      reached = reached.flatMap(({ pointer, value }) => (Array.isArray(value) ? value.map((v, i) => ({ pointer: `${pointer}/${i}`, value: v })) : []));
    }
  }
  return reached.map((r) => r.pointer);
}
