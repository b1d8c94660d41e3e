import { Construct } from 'constructs';
import { ChartLock, checkValuesDir, HelmRelease } from '../lib';
import { formatIpv4 } from './addresses';
import { DEFAULT_VALUES_DIR } from './common';
import { PlatformConfig, PROFILES } from './config';
import { Edge } from './edge';
import { IrisExample } from './examples/iris';
import { NginxExample } from './examples/nginx';
import { Istio } from './istio';
import { JupyterHub } from './jupyterhub';
import { MetalLb } from './metallb';
import { SeldonCore } from './seldon';

export interface PlatformProps {
  readonly lock: ChartLock;
  /** The validated configuration (see loadConfig). @default - the lab profile: the tutorial */
  readonly config?: PlatformConfig;
  /** @default - helm-values/ of this repository */
  readonly valuesDir?: string;
  /** The per-installation key secrets are derived from (64 hex digits). */
  readonly installationKey: string;
  /** JupyterHub's admin password. @default - derived from the installation key */
  readonly jupyterhubAdminPassword?: string;
}

/** The whole stack, each component a chart, wired by construct references. */
export class Platform extends Construct {
  public readonly config: PlatformConfig;
  /** The ingress gateway's LoadBalancer address: the first of the MetalLB pool. */
  public readonly ingressAddress: string;
  public readonly metallb: MetalLb;
  public readonly istio: Istio;
  public readonly edge: Edge;
  public readonly seldon: SeldonCore;
  public readonly jupyterhub: JupyterHub;
  /** Seldon's Iris example, unless the configuration leaves it out. */
  public readonly iris?: IrisExample;
  /** The nginx example, unless the configuration leaves it out. */
  public readonly nginx?: NginxExample;

  constructor(scope: Construct, id: string, props: PlatformProps) {
    super(scope, id);
    const c = this.config = props.config ?? PROFILES.lab;
    const helm = { lock: props.lock, valuesDir: props.valuesDir };
    this.metallb = new MetalLb(this, 'metallb', { ...helm, namespace: c.metallb.namespace, addresses: c.metallb.addresses, resources: c.metallb.resources });
    // The gateway asks for the pool's first address, so the hosts lines printed after synth hold.
    this.ingressAddress = formatIpv4(this.metallb.addresses[0].first);
    this.istio = new Istio(this, 'istio', {
      ...helm, namespace: c.istio.namespace, istiod: c.istio.istiod, ingressGateway: c.istio.ingressGateway, podDisruptionBudgets: c.istio.podDisruptionBudgets,
      ingressAddress: this.ingressAddress,
    });
    this.edge = new Edge(this, 'edge', { istio: this.istio });
    this.seldon = new SeldonCore(this, 'seldon', {
      ...helm, gateway: this.edge.gateway, namespace: c.seldon.namespace, usageMetrics: c.seldon.usageMetrics, resources: c.seldon.resources,
    });
    this.jupyterhub = new JupyterHub(this, 'jupyterhub', {
      ...helm, ingressClass: this.edge.ingressClass, namespace: c.jupyterhub.namespace, hostname: c.jupyterhub.hostname,
      storageClass: c.jupyterhub.storageClass, hubResources: c.jupyterhub.hub?.resources, proxyResources: c.jupyterhub.proxy?.resources,
      installationKey: props.installationKey, adminPassword: props.jupyterhubAdminPassword,
    });
    if (c.examples.iris.enabled) {
      this.iris = new IrisExample(this, 'iris', { gateway: this.edge.gateway, namespace: c.examples.iris.namespace, resources: c.examples.iris.resources });
    }
    if (c.examples.nginx.enabled) {
      this.nginx = new NginxExample(this, 'nginx', { ingressClass: this.edge.ingressClass, namespace: c.examples.nginx.namespace, hostname: c.examples.nginx.hostname });
    }
    checkValuesDir(props.valuesDir ?? DEFAULT_VALUES_DIR, this.node.findAll().filter(HelmRelease.isHelmRelease).map((r) => r.releaseName));
  }

  /** The hostnames routed through the ingress gateway. */
  public get hostnames(): string[] {
    return [this.jupyterhub.hostname, ...(this.nginx ? [this.nginx.hostname] : [])];
  }
}

/** The /etc/hosts lines that point the routed hostnames at the ingress gateway: the pool's first address. */
export function hostsLines(platform: Platform): string[] {
  return [
    '# /etc/hosts: the routed hostnames at the ingress gateway (the first address of the MetalLB pool)',
    `${platform.ingressAddress} ${platform.hostnames.join(' ')}`,
  ];
}
