/**
 * Public face of building source projects to Wasm: find projects in a folder tree, plan a build (the command
 * lines, expected outputs, and a toolchain check that says what to install when something is missing),
 * and run it. The CLI and the editor's task provider share all of it.
 */
export { detectProjects, type DetectOptions } from './detect';
export { BuildInputError } from './errors';
export { formatProblem, formatStep, quoteArg } from './format';
export { commandAdapterName, installedAdapterFolders } from './adapter';
export { isBuildIntermediate } from './intermediates';
export {
  languageNames,
  type BuildLanguage,
  type BuildOptions,
  type BuildPlan,
  type BuildProject,
  type BuildStep,
  type ComponentStep,
  type PlanResult,
  type ProblemMatcherName,
  type ProcessStep,
  type ToolchainProblem,
  type ToolOption,
} from './model';
export { createProbe, planBuild, type PlanRequest } from './plan';
export { runBuild, type BuildResult, type RunOptions } from './run';
