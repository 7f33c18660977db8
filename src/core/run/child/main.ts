/**
 * Entry of the guest's process (bundled as dist/run-child.js). The guest never runs in the editor's or the
 * CLI's process: a runaway loop or a crash here cannot freeze or kill them, and killing this process is how
 * the time limit is enforced. Its own environment is empty; the guest sees only what the plan grants.
 */
import type { ChildMessage, ParentMessage } from '../protocol';
import { exitCodeFor } from '../types';
import { runComponent } from './component';
import { runPreview1 } from './preview1';

function send(message: ChildMessage): Promise<void> {
  return new Promise((resolve) => (process.send ? process.send(message, undefined, {}, () => resolve()) : resolve()));
}

process.once('message', async (message: ParentMessage) => {
  if (message.type !== 'run') return;
  const report = (access: ChildMessage & { type: 'denied' }) => void send(access);
  let end: ChildMessage & { type: 'end' };
  try {
    const { plan } = message;
    end = plan.kind === 'preview1' ? await runPreview1(plan, report) : await runComponent(plan, report);
  } catch (error) {
    end = { type: 'end', end: 'failed', exitCode: exitCodeFor.failed, message: error instanceof Error ? error.message : String(error) };
  }
  await send(end);
  // Let the guest's last writes drain before the exit code is set.
  process.exitCode = end.exitCode;
  process.disconnect?.();
});
