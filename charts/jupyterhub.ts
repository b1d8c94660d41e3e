import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { deriveSecret, HelmRelease, shown } from '../lib';
import { checkHostname } from '../config/hostnames';
import { HOSTNAME, NAMESPACE, RESOURCES, ResourceRequirements, requests } from '../config/schema-fragments';
import { defineComponent } from './component';
import { ComponentChart, HelmProps } from './component-chart';
import { istio } from './istio';

const DNS_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export interface JupyterHubProps extends HelmProps {
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
  /** The hub. @default - the chart's resources (none) */
  readonly hub?: { readonly resources?: ResourceRequirements };
  /** The proxy. @default - the chart's resources (none) */
  readonly proxy?: { readonly resources?: ResourceRequirements };
}

/** The hub's one login: `admin`, with a shared admin password. */
export const JUPYTERHUB_ADMIN = 'admin';

/** JupyterHub with the tutorial's config.yaml, behind an Ingress on Istio. */
export class JupyterHub extends ComponentChart {
  public readonly hostname: string;
  public readonly release: HelmRelease;
  /** The admin's password; it reaches only the hub's Secret, which stays out of dist/. */
  public readonly adminPassword: string;

  constructor(scope: Construct, id: string, props: JupyterHubProps) {
    super(scope, id, { namespace: props.namespace ?? 'jupyterhub-system' });
    this.hostname = checkHostname(props.hostname ?? 'jupyterhub.example.it', 'jupyterhub hostname');
    const secret = (purpose: string) => deriveSecret(props.installationKey, `jupyterhub/${purpose}`);
    this.adminPassword = props.adminPassword ?? secret('admin-password');
    if (this.adminPassword.length < 32) {
      throw new Error(`invalid jupyterhub admin password: it has ${this.adminPassword.length} characters, the hub's shared-password login needs at least 32; use a longer one or leave it unset to derive one`);
    }
    this.release = this.addRelease(props, {
      releaseName: 'jupyterhub',
      values: {
        ingress: { enabled: true, hosts: [this.hostname], ingressClassName: props.ingressClass.name },
        ...(props.storageClass ? { singleuser: { storage: { dynamic: { storageClass: props.storageClass } } } } : {}),
        ...(props.proxy?.resources ? { proxy: { chp: { resources: props.proxy.resources } } } : {}),
        hub: {
          ...(props.hub?.resources ? { resources: props.hub.resources } : {}),
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

/** The name `JUPYTERHUB_ADMIN_PASSWORD` reaches the component by, in the build context's secret overrides. */
export const ADMIN_PASSWORD_OVERRIDE = 'jupyterhub.adminPassword';

export const jupyterhub = defineComponent({
  type: 'object', additionalProperties: false, required: ['namespace', 'hostname'],
  properties: {
    namespace: NAMESPACE,
    hostname: HOSTNAME,
    storageClass: { type: 'string', description: 'The StorageClass of the users\' volumes. Left out: the cluster\'s default.' },
    hub: { type: 'object', additionalProperties: false, properties: { resources: RESOURCES } },
    proxy: { type: 'object', additionalProperties: false, properties: { resources: RESOURCES } },
  },
} as const)({
  key: 'jupyterhub',
  defaults: { namespace: 'jupyterhub-system', hostname: 'jupyterhub.example.it' },
  profiles: { cluster: { hub: { resources: requests('200m', '512Mi') }, proxy: { resources: requests('100m', '128Mi') } } },
  namespaces: (s) => [{ setting: ['namespace'], value: s.namespace }],
  hostnames: (s) => [{ setting: ['hostname'], value: s.hostname }],
  check: (s) => (s.storageClass !== undefined && !DNS_SUBDOMAIN.test(s.storageClass)
    ? [{ setting: ['storageClass'], message: `${shown(s.storageClass)} is not a StorageClass name; use a lowercase DNS name such as fast-ssd` }]
    : []),
  build: (scope, s, context) => new JupyterHub(scope, 'jupyterhub', {
    ...context, ...s, ingressClass: context.get(istio).ingressClass, adminPassword: context.secretOverrides[ADMIN_PASSWORD_OVERRIDE],
  }),
});
