/**
 * Public face of WAT editing support: the names a text defines and uses (outline, definitions, references), where it
 * folds, and what its instructions do. The editor's providers (src/extension/wat-language) are thin adapters on this.
 */
export { watFolding, type WatFold } from './folding';
export { describedInstructions, instructionInfo, type InstructionInfo } from './instructions';
export {
  occurrenceAt,
  referencesTo,
  watSymbols,
  type Space,
  type WatDefinition,
  type WatOccurrence,
  type WatOutlineItem,
  type WatSymbols,
} from './symbols';
export { isName, parseWat, tokenAt, type WatSyntax } from './syntax';
