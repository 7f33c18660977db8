/**
 * Entry of the guest's process (bundled as dist/run-child.js). The guest never runs in the editor's or the
 * CLI's process: a runaway loop or a crash here cannot freeze or kill them, and killing this process is how
 * the time limit is enforced. Its own environment is empty; the guest sees only what the plan grants.
 */
import type { ParentMessage } from '../protocol';
import { exitCodeFor } from '../types';
import { runComponent } from './component';
import { runPreview1 } from './preview1';
import { finish, report } from './report';

process.once('message', async (message: ParentMessage) => {
  if (message.type !== 'run') return;
  try {
    const { plan } = message;
    finish(plan.kind === 'preview1' ? await runPreview1(plan, report) : await runComponent(plan, report));
  } catch (error) {
    finish({ type: 'end', end: 'failed', exitCode: exitCodeFor.failed, message: error instanceof Error ? error.message : String(error) });
  }
});
