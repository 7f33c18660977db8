/**
 * The part of SpinKube's SpinApp CRD schema (`core.spinkube.dev/v1alpha1`, openAPIV3Schema) that a deploy writes to,
 * written from the CRD's field list: `spec.image` and `spec.executor` are required; `executor`, `replicas`, `enableAutoscaling`,
 * `imagePullSecrets`, `checks`, `runtimeConfig`, `volumes`, `volumeMounts`, `variables`, `resources`, `components`,
 * `serviceAccountName` are the documented fields. Unknown spec fields are reported (the API server would prune them
 * silently, which would hide a mistake here).
 *
 * `checkSchema` is a small JSON-schema check for the keywords this schema uses; the tests run the same schema through
 * ajv (the validator under `@kubernetes-models/validate`) to show both agree.
 */

export interface Schema {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  required?: string[];
  properties?: Record<string, Schema>;
  additionalProperties?: boolean | Schema;
  items?: Schema;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  anyOf?: Schema[];
  description?: string;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
}

const quantity: Schema = {
  anyOf: [{ type: 'integer' }, { type: 'string' }],
  pattern: '^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$',
  'x-kubernetes-int-or-string': true,
};
const stringMap: Schema = { type: 'object', additionalProperties: { type: 'string' } };
const dns1123Subdomain = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';
const looseObject: Schema = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };

export const spinAppSchema: Schema = {
  type: 'object',
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  properties: {
    apiVersion: { type: 'string', enum: ['core.spinkube.dev/v1alpha1'] },
    kind: { type: 'string', enum: ['SpinApp'] },
    metadata: {
      type: 'object',
      required: ['name'],
      properties: {
        name: { type: 'string', minLength: 1, maxLength: 253, pattern: dns1123Subdomain },
        namespace: { type: 'string', maxLength: 63, pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$' },
        labels: stringMap,
        annotations: stringMap,
      },
    },
    spec: {
      type: 'object',
      required: ['image', 'executor'],
      additionalProperties: false,
      properties: {
        image: { type: 'string', minLength: 1, description: 'The OCI reference of the Spin app.' },
        executor: { type: 'string', minLength: 1, description: 'The SpinAppExecutor that runs the app.' },
        replicas: { type: 'integer', format: 'int32', minimum: 0 },
        enableAutoscaling: { type: 'boolean' },
        imagePullSecrets: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' } } } },
        checks: looseObject,
        runtimeConfig: looseObject,
        volumes: { type: 'array', items: looseObject },
        volumeMounts: {
          type: 'array',
          items: {
            type: 'object',
            required: ['mountPath', 'name'],
            properties: {
              mountPath: { type: 'string' },
              name: { type: 'string' },
              readOnly: { type: 'boolean' },
              subPath: { type: 'string' },
            },
          },
        },
        variables: {
          type: 'array',
          items: {
            type: 'object',
            required: ['name'],
            properties: { name: { type: 'string', minLength: 1 }, value: { type: 'string' }, valueFrom: looseObject },
          },
        },
        resources: {
          type: 'object',
          additionalProperties: false,
          properties: {
            limits: { type: 'object', additionalProperties: quantity },
            requests: { type: 'object', additionalProperties: quantity },
          },
        },
        components: { type: 'array', items: { type: 'string' } },
        serviceAccountName: { type: 'string' },
      },
    },
    status: looseObject,
  },
};

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function matchesType(value: unknown, type: NonNullable<Schema['type']>): boolean {
  const actual = typeOf(value);
  return actual === type || (type === 'number' && actual === 'integer');
}

/** Errors as `path: message`; empty when the value conforms. */
export function checkSchema(schema: Schema, value: unknown, path = ''): string[] {
  const at = path || '(root)';
  const errors: string[] = [];
  if (schema.anyOf && !schema.anyOf.some((s) => checkSchema(s, value, path).length === 0)) {
    errors.push(`${at}: must be ${schema.anyOf.map((s) => s.type ?? 'any').join(' or ')}`);
    return errors;
  }
  if (schema.type && !matchesType(value, schema.type))
    return [
      `${at}: must be ${schema.type === 'integer' ? 'an integer' : `a${/^[aeiou]/.test(schema.type) ? 'n' : ''} ${schema.type}`}, not ${typeOf(value)}`,
    ];
  if (schema.enum && !schema.enum.includes(value))
    errors.push(`${at}: must be one of ${schema.enum.map((e) => JSON.stringify(e)).join(', ')}`);
  if (typeof value === 'string') {
    if (schema.minLength !== undefined && value.length < schema.minLength)
      errors.push(`${at}: must have at least ${schema.minLength} characters`);
    if (schema.maxLength !== undefined && value.length > schema.maxLength)
      errors.push(`${at}: must have at most ${schema.maxLength} characters`);
    if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value)) errors.push(`${at}: must match ${schema.pattern}`);
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) errors.push(`${at}: must be >= ${schema.minimum}`);
    if (schema.maximum !== undefined && value > schema.maximum) errors.push(`${at}: must be <= ${schema.maximum}`);
    if (schema.format === 'int32' && (value < -(2 ** 31) || value > 2 ** 31 - 1)) errors.push(`${at}: must fit in 32 bits`);
  }
  if (Array.isArray(value) && schema.items) value.forEach((item, i) => errors.push(...checkSchema(schema.items!, item, `${path}[${i}]`)));
  if (typeOf(value) === 'object') {
    const object = value as Record<string, unknown>;
    for (const key of schema.required ?? []) if (!(key in object)) errors.push(`${path ? `${path}.` : ''}${key}: is required`);
    for (const [key, item] of Object.entries(object)) {
      const child = `${path ? `${path}.` : ''}${key}`;
      const known = schema.properties?.[key];
      if (known) errors.push(...checkSchema(known, item, child));
      else if (schema.additionalProperties === false) errors.push(`${child}: is not a field of this object`);
      else if (typeof schema.additionalProperties === 'object') errors.push(...checkSchema(schema.additionalProperties, item, child));
    }
  }
  return errors;
}

/** Throws with every problem listed when the SpinApp does not conform. */
export function validateSpinApp(object: unknown): void {
  const errors = checkSchema(spinAppSchema, object);
  if (errors.length) throw new Error(`SpinApp does not match the CRD schema: ${errors.join('; ')}`);
}
