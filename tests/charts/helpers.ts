import * as path from 'path';
import { App } from 'cdk8s';
import { ChartLock } from '../../lib/helm/lock';
import { ROOT } from '../helpers';

export const lock = () => ChartLock.load(path.join(ROOT, 'helm-lock.yaml'));
export const app = () => new App();
