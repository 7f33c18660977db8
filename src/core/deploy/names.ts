/** Names, selectors and tolerations from user input, checked against the Kubernetes rules before anything is built. */
import { basename } from 'node:path';
import { DeployError, type TaintLike } from './model';

/** RFC 1035 label, the strictest rule among Deployment, Service, container and SpinApp names. */
const dns1035Label = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const dns1123Label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const dns1123Subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const labelName = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

/** An app name from a file name: `My_App.wasm` → `my-app`. */
export function appNameFromFile(file: string): string {
  let name = basename(file)
    .replace(/\.wasm$/i, '')
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^[^a-z]+/, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  if (!name) name = 'wasm-app';
  return name;
}

export function checkAppName(name: string): string {
  if (name.length > 63 || !dns1035Label.test(name)) {
    throw new DeployError(
      'input',
      `invalid name ${JSON.stringify(name)}: use at most 63 lower-case letters, digits and '-', starting with a letter and ending with a letter or digit (it names the Deployment, Service and container)`,
    );
  }
  return name;
}

export function checkNamespace(namespace: string): string {
  if (namespace.length > 63 || !dns1123Label.test(namespace)) {
    throw new DeployError(
      'input',
      `invalid namespace ${JSON.stringify(namespace)}: at most 63 lower-case letters, digits and '-', starting and ending with a letter or digit`,
    );
  }
  return namespace;
}

/** A label key: optional DNS-subdomain prefix and `/`, then a name of at most 63 characters. */
export function isLabelKey(key: string): boolean {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && (prefix.length === 0 || prefix.length > 253 || !dns1123Subdomain.test(prefix))) return false;
  return name.length > 0 && name.length <= 63 && labelName.test(name);
}

export function isLabelValue(value: string): boolean {
  return value.length <= 63 && labelName.test(value);
}

/** `k=v,k2=v2` (repeatable flags are joined before) → a node selector; every key and value checked. */
export function parseNodeSelector(specs: readonly string[]): Record<string, string> {
  const selector: Record<string, string> = {};
  for (const part of specs
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw new DeployError('input', `invalid node selector ${JSON.stringify(part)}: expected KEY=VALUE`);
    const key = part.slice(0, eq);
    const value = part.slice(eq + 1);
    if (!isLabelKey(key)) throw new DeployError('input', `invalid node selector key ${JSON.stringify(key)}: not a Kubernetes label key`);
    if (!isLabelValue(value))
      throw new DeployError(
        'input',
        `invalid node selector value ${JSON.stringify(value)} for ${key}: at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit`,
      );
    selector[key] = value;
  }
  return selector;
}

const effects = new Set(['NoSchedule', 'PreferNoSchedule', 'NoExecute']);

/** `KEY[=VALUE]:EFFECT` (kubectl taint syntax) → the taint to tolerate. */
export function parseTaint(spec: string): TaintLike {
  const match = /^([^=:]+)(?:=([^:]*))?:([A-Za-z]+)$/.exec(spec.trim());
  if (!match)
    throw new DeployError(
      'input',
      `invalid toleration ${JSON.stringify(spec)}: expected KEY[=VALUE]:EFFECT (as in kubectl taint), e.g. kwasm.sh/wasm=true:NoSchedule`,
    );
  const [, key, value, effect] = match as unknown as [string, string, string | undefined, string];
  if (!isLabelKey(key)) throw new DeployError('input', `invalid toleration key ${JSON.stringify(key)}`);
  if (value !== undefined && value !== '' && !isLabelValue(value))
    throw new DeployError('input', `invalid toleration value ${JSON.stringify(value)}`);
  if (!effects.has(effect))
    throw new DeployError('input', `invalid taint effect ${JSON.stringify(effect)}: one of NoSchedule, PreferNoSchedule, NoExecute`);
  return value ? { key, value, effect } : { key, effect };
}

export function checkReplicas(value: number): number {
  if (!Number.isInteger(value) || value < 0 || value > 1000)
    throw new DeployError('input', `invalid replica count ${value}: a whole number from 0 to 1000`);
  return value;
}

export function checkPort(value: number): number {
  if (!Number.isInteger(value) || value < 1 || value > 65535)
    throw new DeployError('input', `invalid port ${value}: a whole number from 1 to 65535`);
  return value;
}

/** RuntimeClass names are DNS subdomains. */
export function checkRuntimeClassName(name: string): string {
  if (name.length > 253 || !dns1123Subdomain.test(name))
    throw new DeployError(
      'input',
      `invalid runtime class ${JSON.stringify(name)}: a RuntimeClass name is lower-case letters, digits, '-' and '.'`,
    );
  return name;
}

/** CPU (`100m`, `0.5`, `2`) or memory (`64Mi`, `1G`) quantity, as Kubernetes writes it. */
export function checkQuantity(value: string, what: string): string {
  if (!/^\+?(\d+(\.\d*)?|\.\d+)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei|[eE][+-]?\d+)?$/.test(value)) {
    throw new DeployError('input', `invalid ${what} ${JSON.stringify(value)}: a Kubernetes quantity such as 100m, 0.5, 64Mi or 1Gi`);
  }
  return value;
}
