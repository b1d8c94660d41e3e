// The schema of platform.yaml, assembled from the platform's own settings and the components' slices, and
// the TypeScript type of a resolved configuration, derived from the same pieces.
import { COMPONENTS } from '../charts/registry';
import { ComponentDefinition } from '../charts/component';
import { CORE_SCHEMA, CoreSettings } from './core';

type Registry = typeof COMPONENTS[number];
type SettingsOf<C> = C extends ComponentDefinition<infer S, any> ? S : never;
type TopLevel = { [C in Registry as C extends { group: string } ? never : C['key']]: SettingsOf<C> };
type Examples = { [C in Extract<Registry, { group: 'examples' }> as C['key']]: SettingsOf<C> };

/** A resolved configuration of the registry's components: every default filled in. */
export type PlatformConfig = CoreSettings & TopLevel & { examples: Examples };

/**
 * The schema of a resolved configuration (every default filled in): the platform's own settings, then
 * each component's slice at its key, a grouped one inside its group's section, in registry order.
 */
export function configSchema(components: readonly ComponentDefinition[] = COMPONENTS): Record<string, any> {
  const properties: Record<string, any> = { ...CORE_SCHEMA.properties };
  const required: string[] = [...CORE_SCHEMA.required];
  for (const c of components) {
    if (!c.group) {
      properties[c.key] = c.schema;
      required.push(c.key);
      continue;
    }
    if (!properties[c.group]) {
      properties[c.group] = { type: 'object', additionalProperties: false, required: [], properties: {} };
      required.push(c.group);
    }
    properties[c.group].properties[c.key] = c.schema;
    properties[c.group].required.push(c.key);
  }
  return { title: 'ML-serving platform configuration (platform.yaml)', type: 'object', additionalProperties: false, required, properties };
}

/** The schema editors use: the same, with nothing required (left-out settings take the profile's defaults). */
export function editorSchema(components: readonly ComponentDefinition[] = COMPONENTS): object {
  const strip = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(strip);
    if (node === null || typeof node !== 'object') return node;
    return Object.fromEntries(Object.entries(node).filter(([k]) => k !== 'required').map(([k, v]) => [k, strip(v)]));
  };
  return { $schema: 'http://json-schema.org/draft-07/schema#', ...(strip(configSchema(components)) as object) };
}
