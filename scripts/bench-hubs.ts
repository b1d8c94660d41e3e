// For `npm run bench` only: a component of N more JupyterHub releases, each in its own namespace with its
// own hostname and secrets, to show how synth grows with the number of charts. The bench registers it in a
// scratch copy of the repository; the platform never does.
import { Construct } from 'constructs';
import { ComponentChart, HelmProps } from '../charts/component-chart';
import { defineComponent } from '../charts/component';
import { istio } from '../charts/istio';
import { deriveSecret } from '../lib';

/** How many releases the bench adds. */
export const BENCH_HUBS = 16;

/** The release (and lock key, values file and namespace) of the bench's hub `i` (1-based). */
export const benchHubName = (i: number): string => `bench-hub-${String(i).padStart(2, '0')}`;

class BenchHub extends ComponentChart {
  constructor(scope: Construct, id: string, props: HelmProps & { installationKey: string; ingressClassName: string }) {
    super(scope, id, { namespace: id });
    const secret = (purpose: string) => deriveSecret(props.installationKey, `${id}/${purpose}`);
    this.addRelease(props, {
      releaseName: id,
      values: {
        ingress: { enabled: true, hosts: [`${id}.example.it`], ingressClassName: props.ingressClassName },
        hub: {
          config: {
            ConfigurableHTTPProxy: { auth_token: secret('proxy-auth-token') },
            JupyterHub: { cookie_secret: secret('cookie-secret'), authenticator_class: 'shared-password' },
            CryptKeeper: { keys: [secret('crypt-keeper-key')] },
            Authenticator: { admin_users: ['admin'] },
            SharedPasswordAuthenticator: { admin_password: secret('admin-password') },
          },
        },
      },
    });
  }
}

export const benchHubs = defineComponent({ type: 'object', additionalProperties: false, properties: {} } as const)({
  key: 'benchHubs',
  defaults: {},
  namespaces: () => Array.from({ length: BENCH_HUBS }, (_, i) => ({ setting: [], value: benchHubName(i + 1) })),
  build: (scope, _settings, context) => {
    const hubs = new Construct(scope, 'bench-hubs');
    for (let i = 1; i <= BENCH_HUBS; i++) {
      new BenchHub(hubs, benchHubName(i), { ...context, ingressClassName: context.get(istio).ingressClass.name });
    }
    return hubs;
  },
});
