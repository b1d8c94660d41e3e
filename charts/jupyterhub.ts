import { Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { HelmRelease } from '../lib';
import { createNamespace, HelmComponentProps, valuesFile } from './common';
import { checkHostname } from './hostnames';

export interface JupyterHubProps extends HelmComponentProps {
  /** The IngressClass the hub's Ingress uses; without one Istio ignores the Ingress. */
  readonly ingressClass: k8s.KubeIngressClass;
  /** @default "jupyterhub-system" */
  readonly namespace?: string;
  /** The host the hub is served on. @default "jupyterhub.example.it" */
  readonly hostname?: string;
}

/** JupyterHub with the tutorial's config.yaml, behind an Ingress on Istio. */
export class JupyterHub extends Chart {
  public readonly namespace: string;
  public readonly hostname: string;
  public readonly release: HelmRelease;

  constructor(scope: Construct, id: string, props: JupyterHubProps) {
    super(scope, id);
    this.namespace = props.namespace ?? 'jupyterhub-system';
    this.hostname = checkHostname(props.hostname ?? 'jupyterhub.example.it', 'jupyterhub hostname');
    createNamespace(this, this.namespace);
    this.release = new HelmRelease(this, 'release', {
      chart: props.lock.get('jupyterhub'),
      releaseName: 'jupyterhub',
      namespace: this.namespace,
      valuesFiles: [valuesFile(props, 'jupyterhub')],
      values: { ingress: { enabled: true, hosts: [this.hostname], ingressClassName: props.ingressClass.name } },
    });
  }
}
