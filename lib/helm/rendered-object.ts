// An object helm rendered, in the construct tree. What helm prints parses to plain data (strings, numbers,
// booleans, nulls, lists and maps): there are no tokens to resolve. cdk8s's `ApiObject.toJson` resolves
// every value of every object anyway, asking each of the app's resolvers about each value and looking the
// app up from the construct for each one: for a 1 MB CRD that is most of what collecting the output costs.
// This object skips that walk for what came from helm and keeps everything else `toJson` does: the metadata
// as cdk8s renders it (with its own resolution, so labels and annotations added later behave as anywhere),
// null values dropped, keys sorted (unless CDK8S_DISABLE_SORT), JSON patches applied, and apiVersion,
// kind and metadata first. tests/lib/helm/rendered-object.test.ts holds it to `ApiObject.toJson`.
import { ApiObject, ApiObjectProps, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';

/** What cdk8s's sanitizeValue does (drop null and undefined, sort keys), for data that holds no tokens. */
function sanitize(value: unknown, sortKeys: boolean): unknown {
  if (value === null) return undefined;
  if (typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((x) => sanitize(x, sortKeys));
  if (value.constructor.name !== 'Object') throw new Error(`can't render non-simple object of type '${value.constructor.name}'`);
  const out: Record<string, unknown> = {};
  const keys = sortKeys ? Object.keys(value).sort() : Object.keys(value);
  for (const key of keys) {
    const v = sanitize((value as Record<string, unknown>)[key], sortKeys);
    if (v !== undefined) out[key] = v;
  }
  return out;
}

export class RenderedApiObject extends ApiObject {
  /** The rendered object, as given (cdk8s keeps its metadata apart, as `metadata`). */
  private readonly rendered: ApiObjectProps & Record<string, unknown>;
  private readonly jsonPatches: JsonPatch[] = [];

  constructor(scope: Construct, id: string, props: ApiObjectProps & Record<string, unknown>) {
    super(scope, id, props);
    this.rendered = props;
  }

  public addJsonPatch(...ops: JsonPatch[]): void {
    super.addJsonPatch(...ops);
    this.jsonPatches.push(...ops);
  }

  public toJson(): any {
    try {
      const sortKeys = !process.env.CDK8S_DISABLE_SORT;
      const json = sanitize({ ...this.rendered, metadata: this.metadata.toJson() }, sortKeys) as Record<string, unknown>;
      const patched = JsonPatch.apply(json, ...this.jsonPatches);
      const result: Record<string, unknown> = {};
      for (const k of ['apiVersion', 'kind', 'metadata', ...Object.keys(patched)]) {
        if (k in patched) result[k] = patched[k];
      }
      return result;
    } catch (e) {
      throw new Error(`Failed serializing construct at path '${this.node.path}' with name '${this.name}': ${e}`);
    }
  }
}
