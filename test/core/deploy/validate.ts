/**
 * Validation of generated manifests against the official Kubernetes OpenAPI schemas (kubernetes-models, whose
 * validators are compiled from them, with @kubernetes-models/validate), and of SpinApps against the CRD schema
 * subset in src/core/deploy/spinapp-schema.ts through ajv with the same formats.
 */
import { checkSchema, spinAppSchema, type KubeObject } from '../../../src/core/deploy';

type Validator = (object: unknown) => void;

let validators: Promise<Record<string, Validator>> | undefined;

async function load(): Promise<Record<string, Validator>> {
  const [{ Deployment }, { Service }, { Job }, { Pod }, kmValidate] = await Promise.all([
    import('kubernetes-models/apps/v1/Deployment'),
    import('kubernetes-models/v1/Service'),
    import('kubernetes-models/batch/v1/Job'),
    import('kubernetes-models/v1/Pod'),
    import('@kubernetes-models/validate'),
  ]);
  const runValidateFunc: (fn: ((data: unknown) => boolean) & { errors?: unknown }, data: unknown) => void =
    kmValidate.runValidateFunc as never;
  const spinApp = await compileSpinApp();
  return {
    'apps/v1/Deployment': (o) => new Deployment(o as never).validate(),
    'v1/Service': (o) => new Service(o as never).validate(),
    'batch/v1/Job': (o) => new Job(o as never).validate(),
    'v1/Pod': (o) => new Pod(o as never).validate(),
    'core.spinkube.dev/v1alpha1/SpinApp': (o) => {
      runValidateFunc(spinApp, o);
      // The small runtime check must agree with ajv.
      const errors = checkSchema(spinAppSchema, o);
      if (errors.length) throw new Error(`checkSchema disagrees with ajv: ${errors.join('; ')}`);
    },
  };
}

/** Throws (with the validator's message) when the object does not conform to its kind's official schema. */
export async function validateManifest(object: KubeObject | Record<string, unknown>): Promise<void> {
  validators ??= load();
  const all = await validators;
  const key = `${String(object.apiVersion)}/${String(object.kind)}`;
  const validate = all[key];
  if (!validate) throw new Error(`no schema for ${key}`);
  validate(object);
}

/** The SpinApp schema compiled by ajv, with the formats @kubernetes-models/validate registers. */
export async function compileSpinApp(): Promise<((o: unknown) => boolean) & { errors?: unknown }> {
  const [ajvModule, { formats }] = await Promise.all([import('ajv'), import('@kubernetes-models/validate')]);
  const Ajv = (ajvModule as unknown as { default: typeof import('ajv').default }).default;
  const ajv = new Ajv({ strict: false, allErrors: true });
  for (const [name, format] of Object.entries(formats)) ajv.addFormat(name, format);
  return ajv.compile(spinAppSchema);
}
