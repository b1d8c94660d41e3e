import { shown } from '../lib/messages';
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** An RFC 1123 label, as namespaces must be: lowercase letters, digits and "-", at most 63 characters. */
export function isDnsLabel(name: string): boolean {
  return DNS_LABEL.test(name);
}

const DNS_NAME = /^(?=.{1,253}$)([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*$/;

/** An RFC 1123 subdomain, as most object names must be: DNS labels joined by ".", at most 253 characters. */
export function isDnsName(name: string): boolean {
  return DNS_NAME.test(name);
}

/** Returns `hostname` if it is a DNS name; throws naming `what` otherwise. */
export function checkHostname(hostname: string, what: string): string {
  if (!isDnsName(hostname)) {
    throw new Error(`invalid ${what} ${shown(hostname)}: use a lowercase DNS name such as jupyterhub.example.it`);
  }
  return hostname;
}
