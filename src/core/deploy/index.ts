/**
 * Public face of deploy: a Wasm binary to a Wasm-capable node pool of a Kubernetes cluster (a Job or run-once Pod for
 * a command, a Deployment + Service for a server, on a Wasm RuntimeClass; or a SpinApp), its dry-run manifests, and
 * undeploy. No VS Code here.
 */
import type { KubeClient } from '../kube/client';
import { clientFor, type DeployRequest } from './deploy';
import { undeploy as undeployObjects, type UndeployResult } from './cluster';
import type { DeployEvent } from './model';
import { checkAppName, checkNamespace } from './names';

export {
  deploy,
  planDeploy,
  manifestsFor,
  manifestsYaml,
  clientFor,
  defaultRolloutTimeoutMs,
  type DeployRequest,
  type DeployResult,
  type Planned,
} from './deploy';
export {
  applyObjects,
  waitForRollout,
  diagnose,
  workloadLogs,
  workloadPods,
  workloadApiVersions,
  podProblem,
  fatalFromEvents,
  explainKubeError,
  type AppliedObject,
  type RolloutState,
  type Diagnosis,
  type UndeployResult,
} from './cluster';
export {
  buildManifests,
  buildDeployment,
  buildJob,
  buildRunOncePod,
  buildService,
  buildSpinApp,
  tolerationsFor,
  labelsFor,
  containerPortFor,
  defaultResources,
  type KubeObject,
  type ManifestInput,
  type Resources,
} from './manifests';
export {
  checkCompatibility,
  checkRuntime,
  binaryRefusal,
  runtimeRefusal,
  poolRefusal,
  poolCanRun,
  chooseForm,
  workloadFor,
  isCommand,
  profileOf,
  shimOf,
  runtimeClassesOf,
  type BinaryProfile,
  type Compatibility,
  type PodPlacement,
  type PoolVerdict,
  type RuntimeCheck,
  type ShimTraits,
  type WasmShim,
  type WorkloadKind,
} from './compatibility';
export { shimTraits } from '../kube/shims';
export { targetChoices, nonWasmPools, type TargetChoice, type ChoiceFilter } from './choices';
export {
  resolveFromModel,
  resolveOffline,
  resolvableOffline,
  isSelectorPool,
  defaultSpinExecutor,
  type ResolvedTarget,
  type TargetRequest,
} from './target';
export {
  appNameFromFile,
  checkAppName,
  checkNamespace,
  parseNodeSelector,
  parseTaint,
  checkPort,
  checkReplicas,
  checkQuantity,
} from './names';
export { spinAppSchema, checkSchema, validateSpinApp, type Schema } from './spinapp-schema';
export { toYaml, toYamlDocuments } from './yaml';
export {
  DeployError,
  fieldManager,
  managedByLabel,
  nameLabel,
  ociForms,
  type DeployErrorKind,
  type DeployEvent,
  type DeployStep,
  type OciForm,
  type PoolLike,
  type RuntimeLike,
  type TaintLike,
} from './model';

export interface UndeployRequest extends Pick<DeployRequest, 'context' | 'kubeconfig' | 'requestTimeoutMs'> {
  name: string;
  namespace?: string;
  client?: KubeClient;
  onProgress?: (event: DeployEvent) => void;
}

/** Deletes what deploys of `name` created (Job, Pod, Deployment, Service, SpinApp labelled managed-by wasm-workbench). */
export async function undeploy(request: UndeployRequest): Promise<UndeployResult & { name: string; namespace: string }> {
  const name = checkAppName(request.name);
  const client = await clientFor(request);
  const namespace = checkNamespace(request.namespace ?? client.namespace);
  request.onProgress?.({ step: 'undeploy', phase: 'start', message: `Deleting ${name} from ${client.contextName}/${namespace}` });
  const result = await undeployObjects(client, name, namespace, request.onProgress ? { onProgress: request.onProgress } : {});
  request.onProgress?.({
    step: 'undeploy',
    phase: 'done',
    message: result.deleted.length
      ? `Deleted ${result.deleted.map((d) => `${d.kind} ${d.name}`).join(', ')}`
      : `Nothing labelled ${name} in ${namespace}`,
  });
  return { ...result, name, namespace };
}
