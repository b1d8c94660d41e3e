// The components of the platform, in dependency order: a component is built after the ones it uses. The
// configuration's schema, profiles and checks and the Platform are derived from this list.
import { iris } from './examples/iris';
import { nginx } from './examples/nginx';
import { istio } from './istio';
import { jupyterhub } from './jupyterhub';
import { metallb } from './metallb';
import { seldonCore } from './seldon-core';

export const COMPONENTS = [metallb, istio, seldonCore, jupyterhub, iris, nginx] as const;
