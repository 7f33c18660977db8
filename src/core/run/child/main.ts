/**
 * Entry of the guest's process (bundled as dist/run-child.js). The guest never runs in the editor's or the
 * CLI's process: a runaway loop or a crash here cannot freeze or kill them, and killing this process is how
 * the time limit is enforced. Its environment is empty; the guest sees only what the plan grants.
 *
 * `run-child.js --transpile FILE CACHE` is the other use: it fills the component cache before a run, outside
 * any sandbox, so the guest's process itself never needs to write anything.
 */
import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { planFd, type ChildPlan } from '../protocol';
import { exitCodeFor } from '../types';
import { runComponent, transpiled } from './component';
import { runPreview1 } from './preview1';
import { finish } from './report';
import { errorMessage } from '../../errors';

/**
 * Node 20's V8 (11.x) has some standardised Wasm features only behind flags; later V8s have them on and reject
 * the flags. Multi-memory, GC and exception references need a newer runtime (VS Code's or Node 22+).
 */
function enableStandardisedFeatures(): void {
  if (Number(process.versions.v8.split('.')[0]) !== 11) return;
  for (const feature of ['return-call', 'extended-const', 'relaxed-simd', 'memory64']) setFlagsFromString(`--experimental-wasm-${feature}`);
}

async function main(): Promise<void> {
  enableStandardisedFeatures();
  if (process.argv[2] === '--transpile') {
    const entry = await transpiled(new Uint8Array(readFileSync(process.argv[3]!)), process.argv[4]!);
    process.stdout.write(`${entry.dir}\n`);
    return;
  }
  const plan = JSON.parse(readFileSync(planFd, 'utf8')) as ChildPlan;
  finish(plan.kind === 'preview1' ? await runPreview1(plan) : await runComponent(plan));
}

main().catch((error: unknown) => {
  if (process.argv[2] === '--transpile') {
    process.stderr.write(`${errorMessage(error)}\n`);
    process.exit(1);
  }
  finish({ end: 'failed', exitCode: exitCodeFor.failed, message: errorMessage(error) });
});
