import { Construct } from 'constructs';
import { ChartLock } from '../lib';
import { Edge } from './edge';
import { IrisExample } from './examples/iris';
import { NginxExample } from './examples/nginx';
import { Istio } from './istio';
import { JupyterHub } from './jupyterhub';
import { MetalLb } from './metallb';
import { SeldonCore } from './seldon';

export interface PlatformProps {
  readonly lock: ChartLock;
  /** @default - helm-values/ of this repository */
  readonly valuesDir?: string;
  /** MetalLB's LoadBalancer addresses. @default ["172.25.1.1-172.25.1.100"] */
  readonly addresses?: readonly string[];
  /** @default "jupyterhub.example.it" */
  readonly jupyterhubHostname?: string;
  /** The per-installation key secrets are derived from (64 hex digits). */
  readonly installationKey: string;
  /** JupyterHub's admin password. @default - derived from the installation key */
  readonly jupyterhubAdminPassword?: string;
  /** @default "nginx.example.it" */
  readonly nginxHostname?: string;
}

/** The whole stack, each component a chart, wired by construct references. */
export class Platform extends Construct {
  public readonly metallb: MetalLb;
  public readonly istio: Istio;
  public readonly edge: Edge;
  public readonly seldon: SeldonCore;
  public readonly jupyterhub: JupyterHub;
  public readonly iris: IrisExample;
  public readonly nginx: NginxExample;

  constructor(scope: Construct, id: string, props: PlatformProps) {
    super(scope, id);
    const helm = { lock: props.lock, valuesDir: props.valuesDir };
    this.metallb = new MetalLb(this, 'metallb', { ...helm, addresses: props.addresses });
    this.istio = new Istio(this, 'istio', helm);
    this.edge = new Edge(this, 'edge', { istio: this.istio });
    this.seldon = new SeldonCore(this, 'seldon', { ...helm, gateway: this.edge.gateway });
    this.jupyterhub = new JupyterHub(this, 'jupyterhub', {
      ...helm, ingressClass: this.edge.ingressClass, hostname: props.jupyterhubHostname,
      installationKey: props.installationKey, adminPassword: props.jupyterhubAdminPassword,
    });
    this.iris = new IrisExample(this, 'iris', { gateway: this.edge.gateway });
    this.nginx = new NginxExample(this, 'nginx', { ingressClass: this.edge.ingressClass, hostname: props.nginxHostname });
  }
}
