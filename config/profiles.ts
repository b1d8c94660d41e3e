// The profiles, assembled: `lab` is every default (the tutorial); each other profile lays its differences,
// the platform's own and each component's, over the defaults.
import { COMPONENTS } from '../charts/registry';
import { ComponentDefinition, settingsPath } from '../charts/component';
import { CORE_DEFAULTS, CORE_PROFILES, CoreSettings, PROFILE_NAMES, ProfileName } from './core';
import type { PlatformConfig } from './schema';

const isObject = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === 'object' && !Array.isArray(x);

/** `base` with `over` laid on top: objects merge key by key, anything else (arrays too) replaces. */
export function overlay(base: unknown, over: unknown): unknown {
  if (!isObject(base) || !isObject(over)) return over === undefined ? base : over;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = overlay(base[k], v);
  return out;
}

/** `value` nested under `path`: `["examples", "iris"]`, v → `{ examples: { iris: v } }`. */
const nest = (path: readonly string[], value: unknown): unknown => path.reduceRight<unknown>((inner, key) => ({ [key]: inner }), value);

/** Every profile of the components, resolved. */
export function profiles(components: readonly ComponentDefinition[] = COMPONENTS): Record<ProfileName, CoreSettings & Record<string, any>> {
  const resolve = (profile: ProfileName) => [
    ...components.map((c) => nest(settingsPath(c), c.defaults)),
    CORE_PROFILES[profile],
    ...components.map((c) => nest(settingsPath(c), c.profiles?.[profile])),
    { profile },
  ].reduce(overlay, CORE_DEFAULTS) as CoreSettings & Record<string, any>;
  return Object.fromEntries(PROFILE_NAMES.map((p) => [p, resolve(p)])) as Record<ProfileName, CoreSettings & Record<string, any>>;
}

/** The registry's profiles. */
export const PROFILES = profiles() as Readonly<Record<ProfileName, PlatformConfig>>;
