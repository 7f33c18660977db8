/** Public face of running: prepare (decide), start (in its own process), explain (after). */
export {
  checkGrants,
  explainOutcome,
  maxTimeoutSeconds,
  prepareRun,
  runRefusal,
  RunRefusedError,
  type PrepareOptions,
  type PreparedRun,
} from './plan';
export { startGuest, type GuestProcessOptions, type RunningGuest } from './supervisor';
export { MemoryLimitError } from './memory-cap';
export { confinementFor, type Confinement, type SandboxChoice } from './sandbox';
export { grantAdvice, runnerHint, runnerSupport, type RunnerSupport, type SupportLevel } from './support';
export {
  defaultLimits,
  exitCodeFor,
  noGrants,
  type DeniedAccess,
  type DirectoryGrant,
  type RunEnd,
  type RunGrants,
  type RunLimits,
  type RunOutcome,
  type RunRequest,
} from './types';
export { parseDirectoryGrant, parseEnvGrant, runCommandLine } from './grant-syntax';
export { PacedOutput, TextTail, terminalPace, type Pace } from './paced-output';
