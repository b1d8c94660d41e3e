import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { checkHostname } from '../../config/hostnames';
import { HOSTNAME, NAMESPACE } from '../../config/schema-fragments';
import { defineComponent } from '../component';
import { ComponentChart } from '../component-chart';
import { istio } from '../istio';

export interface NginxProps {
  /** The IngressClass the route uses. */
  readonly ingressClass: kplus.k8s.KubeIngressClass;
  /** @default "nginx" */
  readonly namespace?: string;
  /** @default "nginx.example.it" */
  readonly hostname?: string;
  /** @default "docker.io/nginxinc/nginx-unprivileged:1.27.5-alpine" */
  readonly image?: string;
  /** @default 1 */
  readonly replicas?: number;
}

/** The tutorial's nginx route, with a real nginx behind it: Deployment, Service `nginx` port 80, and the Ingress. */
export class NginxExample extends ComponentChart {
  public readonly hostname: string;
  public readonly service: kplus.Service;
  public readonly ingress: kplus.Ingress;

  constructor(scope: Construct, id: string, props: NginxProps) {
    super(scope, id, { namespace: props.namespace ?? 'nginx' });
    this.hostname = checkHostname(props.hostname ?? 'nginx.example.it', 'nginx hostname');
    // The unprivileged image listens on 8080 as a non-root user, so cdk8s-plus's secure defaults hold.
    const deployment = new kplus.Deployment(this, 'deployment', {
      metadata: { name: 'nginx' },
      replicas: props.replicas ?? 1,
      containers: [{
        name: 'nginx',
        image: props.image ?? 'docker.io/nginxinc/nginx-unprivileged:1.27.5-alpine',
        portNumber: 8080,
        securityContext: { user: 101, group: 101 },
        resources: {
          cpu: { request: kplus.Cpu.millis(10), limit: kplus.Cpu.millis(200) },
          memory: { request: Size.mebibytes(16), limit: Size.mebibytes(64) },
        },
      }],
    });
    deployment.containers[0].mount('/tmp', kplus.Volume.fromEmptyDir(this, 'tmp', 'tmp'));
    this.service = new kplus.Service(this, 'service', {
      metadata: { name: 'nginx' },
      selector: deployment,
      ports: [{ port: 80, targetPort: 8080, name: 'http' }],
    });
    this.ingress = new kplus.Ingress(this, 'ingress', {
      metadata: { name: 'ingress-nginx-svc' },
      className: props.ingressClass.name,
    });
    this.ingress.addHostRule(this.hostname, '/', kplus.IngressBackend.fromService(this.service, { port: 80 }), kplus.HttpIngressPathType.PREFIX);
  }
}

export const nginx = defineComponent({
  type: 'object', additionalProperties: false, required: ['enabled', 'namespace', 'hostname'],
  properties: { enabled: { type: 'boolean' }, namespace: NAMESPACE, hostname: HOSTNAME },
} as const)({
  key: 'nginx',
  group: 'examples',
  defaults: { enabled: true, namespace: 'nginx', hostname: 'nginx.example.it' },
  profiles: { cluster: { enabled: false } },
  namespaces: (s) => [{ setting: ['namespace'], value: s.namespace }],
  hostnames: (s) => [{ setting: ['hostname'], value: s.hostname }],
  build: (scope, s, context) => new NginxExample(scope, 'nginx', { ...s, ingressClass: context.get(istio).ingressClass }),
});
