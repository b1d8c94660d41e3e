import { Construct } from 'constructs';
import { ChartLock, checkValuesDir, HelmRelease } from '../lib';
import type { CoreSettings } from '../config/core';
import { profiles } from '../config/profiles';
import { BuildContext, ComponentDefinition, isEnabled, settingsOf } from './component';
import { DEFAULT_VALUES_DIR } from './component-chart';
import { metallb } from './metallb';
import { COMPONENTS } from './registry';

export interface PlatformProps {
  readonly lock: ChartLock;
  /** The validated configuration (see loadConfig): the platform's own settings and every component's slice. @default - the lab profile: the tutorial */
  readonly config?: CoreSettings & Readonly<Record<string, any>>;
  /** The components, in dependency order. @default COMPONENTS, the registry */
  readonly components?: readonly ComponentDefinition[];
  /** @default - helm-values/ of this repository */
  readonly valuesDir?: string;
  /** The per-installation key secrets are derived from (64 hex digits). */
  readonly installationKey: string;
  /** Secret values set from outside, by the names the components give them. @default - none: derived from the key */
  readonly secretOverrides?: Readonly<Record<string, string | undefined>>;
}

/** The whole stack: each enabled component of the registry, built in order and wired by construct references. */
export class Platform extends Construct {
  public readonly config: CoreSettings & Readonly<Record<string, any>>;
  /** The enabled components, by definition, in build order. */
  public readonly components: ReadonlyMap<ComponentDefinition, Construct>;
  /** The hostnames routed through the ingress gateway, as the components claim them. */
  public readonly hostnames: readonly string[];

  constructor(scope: Construct, id: string, props: PlatformProps) {
    super(scope, id);
    const components = props.components ?? COMPONENTS as readonly ComponentDefinition[];
    const config = this.config = props.config ?? profiles(components).lab;
    const valuesDir = props.valuesDir ?? DEFAULT_VALUES_DIR;
    const built = new Map<ComponentDefinition, Construct>();
    const context: BuildContext = {
      lock: props.lock, valuesDir, installationKey: props.installationKey, core: config, secretOverrides: props.secretOverrides ?? {},
      get: (component) => {
        const found = built.get(component);
        if (!found) throw new Error(`component "${component.key}" is used before it is built, or is disabled: list it earlier in the registry and enable it`);
        return found as any;
      },
    };
    const enabled = components.filter((c) => isEnabled(config, c));
    for (const component of enabled) built.set(component, component.build(this, settingsOf(config, component), context));
    this.components = built;
    this.hostnames = enabled.flatMap((c) => c.hostnames?.(settingsOf(config, c)) ?? []).map((claim) => claim.value);
    checkValuesDir(valuesDir, this.node.findAll().filter(HelmRelease.isHelmRelease).map((r) => r.releaseName));
  }

  /** The enabled component built from `definition`; undefined when the configuration leaves it out. */
  public component<T extends Construct>(definition: ComponentDefinition<any, T>): T | undefined {
    return this.components.get(definition) as T | undefined;
  }

  /** The ingress gateway's LoadBalancer address: the first of the MetalLB pool. */
  public get ingressAddress(): string {
    return this.component(metallb)!.firstAddress;
  }
}

/** The /etc/hosts lines that point the routed hostnames at the ingress gateway: the pool's first address. */
export function hostsLines(platform: Platform): string[] {
  return [
    '# /etc/hosts: the routed hostnames at the ingress gateway (the first address of the MetalLB pool)',
    `${platform.ingressAddress} ${platform.hostnames.join(' ')}`,
  ];
}
