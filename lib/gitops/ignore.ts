// The fields of the output's objects that a controller sets at run time, so a GitOps controller must
// neither report them as drift nor set them back: derived from the objects themselves, plus what the
// components declare (declareRuntimeFields).
import { isCrd, Manifest } from '../manifests';
import { carriesSecretData } from '../output';
import { groupOf } from '../resource-scope';
import { jsonPointers } from '../runtime-fields';

const WEBHOOK_CONFIGURATIONS = ['ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration'];

/** One object and the fields to leave alone on it, as jq paths. */
export interface IgnoredFields {
  readonly group: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  readonly jqPaths: readonly string[];
  /** The same fields as JSON pointers into this object (an array step once per element it has). */
  readonly jsonPointers: readonly string[];
}

/**
 * The fields a controller fills in `object`: the CA of webhooks the output leaves without one (the
 * controller injects it), the CA of a CRD's conversion webhook likewise, and the data of an empty Secret
 * (a placeholder a controller fills).
 */
function derivedFields(object: Manifest['object']): string[] {
  if (groupOf(object.apiVersion) === 'admissionregistration.k8s.io' && WEBHOOK_CONFIGURATIONS.includes(object.kind)) {
    const webhooks: any[] = Array.isArray(object.webhooks) ? object.webhooks : [];
    return webhooks.some((w) => !w?.clientConfig?.caBundle) ? ['.webhooks[]?.clientConfig.caBundle'] : [];
  }
  if (isCrd(object)) {
    const conversion = object.spec?.conversion;
    return conversion?.strategy === 'Webhook' && !conversion.webhook?.clientConfig?.caBundle ? ['.spec.conversion.webhook.clientConfig.caBundle'] : [];
  }
  if (object.apiVersion === 'v1' && object.kind === 'Secret' && !carriesSecretData(object)) return ['.data'];
  return [];
}

/** For each manifest with fields a controller sets at run time, those fields; in the manifests' order. */
export function ignoredFields(manifests: readonly Manifest[]): IgnoredFields[] {
  return manifests.flatMap((m) => {
    const jqPaths = [...new Set([...derivedFields(m.object), ...(m.runtimeFields ?? [])])];
    if (!jqPaths.length) return [];
    const { apiVersion, kind, metadata } = m.object;
    return [{
      group: groupOf(apiVersion), kind, name: metadata.name, ...(metadata.namespace ? { namespace: metadata.namespace } : {}),
      jqPaths, jsonPointers: jqPaths.flatMap((p) => jsonPointers(p, m.object)),
    }];
  });
}
