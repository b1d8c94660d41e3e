import { Chart, Testing } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { NginxExample } from '../../charts/examples/nginx';
import { tmpDir } from '../helpers';

/** An app and a chart for the IngressClass, with their output folder in tmpDir (Testing.app's own is never removed). */
const testApp = () => Testing.app({ outdir: tmpDir('cdk8s-') });
const ingressClassChart = () => new Chart(testApp(), 'test');

describe('NginxExample', () => {
  const synth = () => {
    const app = testApp();
    const ingressClass = new k8s.KubeIngressClass(ingressClassChart(), 'ic', { metadata: { name: 'istio' } });
    return Testing.synth(new NginxExample(app, 'nginx', { ingressClass }));
  };
  const get = (kind: string) => synth().find((o) => o.kind === kind);

  test('the tutorial\'s Ingress: nginx.example.it / to service nginx port 80, class istio', () => {
    expect(get('Ingress')).toMatchObject({
      metadata: { name: 'ingress-nginx-svc', namespace: 'nginx' },
      spec: {
        ingressClassName: 'istio',
        rules: [{ host: 'nginx.example.it', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'nginx', port: { number: 80 } } } }] } }],
      },
    });
  });

  test('a real nginx behind it: the Service sends port 80 to the pods\' 8080', () => {
    const service = get('Service');
    const deployment = get('Deployment');
    expect(service.metadata).toMatchObject({ name: 'nginx', namespace: 'nginx' });
    expect(service.spec.ports).toEqual([{ name: 'http', port: 80, targetPort: 8080 }]);
    expect(deployment.spec.template.metadata.labels).toMatchObject(service.spec.selector);
    const container = deployment.spec.template.spec.containers[0];
    expect(container.image).toMatch(/^docker\.io\/nginxinc\/nginx-unprivileged:\d+\.\d+\.\d+/);
    expect(container.ports).toEqual([{ containerPort: 8080 }]);
    expect(container.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 101, readOnlyRootFilesystem: true });
  });

  test('fails on a hostname that is not a DNS name', () => {
    const app = testApp();
    const ingressClass = new k8s.KubeIngressClass(ingressClassChart(), 'ic', { metadata: { name: 'istio' } });
    expect(() => new NginxExample(app, 'nginx', { ingressClass, hostname: 'nginx..example.it' })).toThrow('invalid nginx hostname "nginx..example.it"');
  });
});
