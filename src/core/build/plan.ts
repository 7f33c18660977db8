/** From a detected project to a build plan (or the reason there can be none): dispatch by language. */
import { planAssemblyScript } from './languages/assemblyscript';
import { planC } from './languages/c';
import { planGo } from './languages/go';
import { planJavaScript } from './languages/javascript';
import { planRust } from './languages/rust';
import type { BuildOptions, BuildProject, PlanResult } from './model';
import { Probe, toolEnv } from './tools';

export interface PlanRequest {
  /** AssemblyScript: the asconfig target; Rust: a target triple (overrides rustTarget). */
  target?: string;
  /** Share one probe across several plans so each toolchain is asked once. */
  probe?: Probe;
}

export function createProbe(options: BuildOptions = {}): Probe {
  return new Probe(toolEnv(options));
}

export function planBuild(project: BuildProject, options: BuildOptions = {}, request: PlanRequest = {}): Promise<PlanResult> {
  const probe = request.probe ?? createProbe(options);
  switch (project.language) {
    case 'c':
      return planC(project, options, probe);
    case 'rust':
      return planRust(project, request.target ? { ...options, rustTarget: request.target } : options, probe);
    case 'assemblyscript':
      return planAssemblyScript(project, options, probe, request.target);
    case 'javascript':
      return planJavaScript(project, options, probe);
    case 'go':
      return planGo(project, options, probe);
  }
}
