/** Public face of the capability analysis. */
export { analyzeCapabilities, capabilitySummary, type Capability, type CapabilityReport, type UnrecognisedImport } from './analyze';
export { recogniseGlue, type ClassifyHints, type GlueFile } from './glue';
export {
  capabilityCatalog,
  capabilityIds,
  isCapabilityId,
  type CapabilityDefinition,
  type CapabilityId,
  type GrantHints,
  type Risk,
} from './catalog';
export type { HostKind, HostRequirements } from './host';
export { parseInterfaceName, type InterfaceName } from './interfaces';
export { deniedCapabilities, describeViolations, parseCapabilityList, PolicyInputError, type PolicyViolation } from './policy';
