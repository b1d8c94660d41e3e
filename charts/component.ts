// What a component is: one module that owns everything about one part of the stack. Its construct (a
// cdk8s Chart), its slice of platform.yaml (schema, defaults, what each profile changes, its own checks),
// the namespaces and hostnames it claims. The registry lists the components; the configuration's schema,
// profiles and cross-component checks, and the Platform, are derived from that list.
import { Construct } from 'constructs';
import type { FromSchema, JSONSchema } from 'json-schema-to-ts';
import { ChartLock } from '../lib';
import type { CoreSettings, ProfileName } from '../config/core';

/** A value a component claims from its settings (a namespace, a hostname), and the setting it comes from. */
export interface Claim {
  /** The setting's path inside the component's slice, e.g. `["namespace"]`. */
  readonly setting: readonly string[];
  readonly value: string;
}

/** A problem with a component's settings, at a setting inside its slice. */
export interface SettingProblem {
  readonly setting: readonly string[];
  readonly message: string;
}

/** What every component is built with, besides its own settings. */
export interface BuildContext {
  /** The chart lock: chart coordinates and digests. */
  readonly lock: ChartLock;
  /** The folder of the per-release values files. */
  readonly valuesDir: string;
  /** The per-installation key secrets are derived from (64 hex digits). */
  readonly installationKey: string;
  /** The platform's own settings. */
  readonly core: CoreSettings;
  /** Secret values set from outside (e.g. `JUPYTERHUB_ADMIN_PASSWORD`), by the component's own names. */
  readonly secretOverrides: Readonly<Record<string, string | undefined>>;
  /** A component built before this one (earlier in the registry); throws if it is not built. */
  get<T extends Construct>(component: ComponentDefinition<any, T>): T;
}

/** A deep partial of a slice: what a profile may change. */
export type SettingsOverlay<S> = { readonly [K in keyof S]?: S[K] extends readonly unknown[] ? S[K] : S[K] extends object ? SettingsOverlay<S[K]> : S[K] };

export interface ComponentDefinition<S = any, T extends Construct = Construct> {
  /** The slice's key in platform.yaml, e.g. `metallb`. */
  readonly key: string;
  /** A section the slice sits in, e.g. `examples` (`examples.iris`). @default - at the top level */
  readonly group?: string;
  /** The JSON Schema of the slice, an object schema; a boolean `enabled` setting makes the component optional. */
  readonly schema: JSONSchema;
  /** The slice's defaults: the lab profile, the tutorial. */
  readonly defaults: S;
  /** What each other profile changes. @default - nothing */
  readonly profiles?: { readonly [P in ProfileName]?: SettingsOverlay<S> };
  /** The namespaces it creates, each unique across the platform. @default - none */
  readonly namespaces?: (settings: S) => readonly Claim[];
  /** The hostnames it routes, each unique across the platform. @default - none */
  readonly hostnames?: (settings: S) => readonly Claim[];
  /** Checks a schema cannot express. @default - none */
  readonly check?: (settings: S, core: CoreSettings) => readonly SettingProblem[];
  /** Builds its construct under `scope`. */
  readonly build: (scope: Construct, settings: S, context: BuildContext) => T;
}

/**
 * A component whose settings are typed from its schema (a JSON Schema `as const`):
 * `defineComponent({ type: 'object', ... } as const)({ key: 'metallb', defaults, build, ... })`.
 */
export function defineComponent<Schema extends JSONSchema>(schema: Schema) {
  return <const Key extends string, T extends Construct, const Group extends string | undefined = undefined>(
    definition: Omit<ComponentDefinition<FromSchema<Schema>, T>, 'schema' | 'key' | 'group'> & { readonly key: Key; readonly group?: Group },
  ) => ({ ...definition, schema }) as ComponentDefinition<FromSchema<Schema>, T> & { readonly key: Key; readonly group: Group };
}

/** Where a component's slice sits in platform.yaml, e.g. `["examples", "iris"]`. */
export function settingsPath(component: ComponentDefinition): string[] {
  return component.group ? [component.group, component.key] : [component.key];
}

/** The component's slice of a configuration. */
export function settingsOf<S>(config: Readonly<Record<string, any>>, component: ComponentDefinition<S>): S {
  return settingsPath(component).reduce((node, key) => node?.[key], config as any);
}

/** Whether a configuration builds the component: always, unless its slice has `enabled: false`. */
export function isEnabled(config: Readonly<Record<string, any>>, component: ComponentDefinition): boolean {
  return (settingsOf(config, component) as any)?.enabled !== false;
}
