import { Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { deriveSecret, HelmRelease } from '../lib';
import { createNamespace, HelmComponentProps, lockedRelease, ResourceRequirements } from './common';
import { checkHostname } from './hostnames';

export interface JupyterHubProps extends HelmComponentProps {
  /** The IngressClass the hub's Ingress uses; without one Istio ignores the Ingress. */
  readonly ingressClass: k8s.KubeIngressClass;
  /** @default "jupyterhub-system" */
  readonly namespace?: string;
  /** The host the hub is served on. @default "jupyterhub.example.it" */
  readonly hostname?: string;
  /**
   * The per-installation key the hub's secrets are derived from (64 hex digits). The same key gives the
   * same secrets, so synth is reproducible; each installation has its own.
   */
  readonly installationKey: string;
  /** The admin's password (at least 32 characters). @default - derived from the installation key */
  readonly adminPassword?: string;
  /** The StorageClass of the users' volumes. @default - the cluster's default StorageClass */
  readonly storageClass?: string;
  /** Requests and limits of the hub. @default - the chart's (none) */
  readonly hubResources?: ResourceRequirements;
  /** Requests and limits of the proxy. @default - the chart's (none) */
  readonly proxyResources?: ResourceRequirements;
}

/** The hub's one login: `admin`, with a shared admin password. */
export const JUPYTERHUB_ADMIN = 'admin';

/** JupyterHub with the tutorial's config.yaml, behind an Ingress on Istio. */
export class JupyterHub extends Chart {
  public readonly namespace: string;
  public readonly hostname: string;
  public readonly release: HelmRelease;
  /** The admin's password; it reaches only the hub's Secret, which stays out of dist/. */
  public readonly adminPassword: string;

  constructor(scope: Construct, id: string, props: JupyterHubProps) {
    super(scope, id);
    this.namespace = props.namespace ?? 'jupyterhub-system';
    this.hostname = checkHostname(props.hostname ?? 'jupyterhub.example.it', 'jupyterhub hostname');
    createNamespace(this, this.namespace);
    const secret = (purpose: string) => deriveSecret(props.installationKey, `jupyterhub/${purpose}`);
    this.adminPassword = props.adminPassword ?? secret('admin-password');
    if (this.adminPassword.length < 32) {
      throw new Error(`invalid jupyterhub admin password: it has ${this.adminPassword.length} characters, the hub's shared-password login needs at least 32; use a longer one or leave it unset to derive one`);
    }
    this.release = lockedRelease(this, 'release', props, {
      chart: 'jupyterhub',
      releaseName: 'jupyterhub',
      namespace: this.namespace,
      values: {
        ingress: { enabled: true, hosts: [this.hostname], ingressClassName: props.ingressClass.name },
        ...(props.storageClass ? { singleuser: { storage: { dynamic: { storageClass: props.storageClass } } } } : {}),
        ...(props.proxyResources ? { proxy: { chp: { resources: props.proxyResources } } } : {}),
        hub: {
          ...(props.hubResources ? { resources: props.hubResources } : {}),
          config: {
            // Set here, the chart neither looks them up nor makes them up at random on every render.
            ConfigurableHTTPProxy: { auth_token: secret('proxy-auth-token') },
            JupyterHub: { cookie_secret: secret('cookie-secret'), authenticator_class: 'shared-password' },
            CryptKeeper: { keys: [secret('crypt-keeper-key')] },
            // Not the chart's default "dummy" login, which lets anyone in with any password.
            Authenticator: { admin_users: [JUPYTERHUB_ADMIN] },
            SharedPasswordAuthenticator: { admin_password: this.adminPassword },
          },
        },
      },
    });
  }
}
