/**
 * The lines a run's terminal starts with: what it is, what confines it, and, capability by capability, what it
 * gets, in the words of the runner's support table (core/run/support.ts). The last line is the link that
 * reopens the grants editor (see `EDIT_GRANTS_LINK`).
 *
 * No `vscode` import.
 */
import { capabilityCatalog, type CapabilityId } from '../../core/capabilities';
import { runnerSupport, type PreparedRun } from '../../core/run';
import { plainText } from '../../core/text/rich';

/** The text of the header's link to the grants editor (the terminal link provider looks for it). */
export const EDIT_GRANTS_LINK = 'Edit run grants';

export function runHeader(name: string, prepared: PreparedRun, options: { explicitGrants: boolean }): string {
  const { plan, report, confinement } = prepared;
  const grants = plan.grants;
  const lines = [`▶ ${name} · ${report.host.title}${plan.wasmtime ? ` · on wasmtime (${plan.wasmtime.path})` : ''}`];
  lines.push(
    confinement.bubblewrap
      ? '  Confined by: bubblewrap (its own mount, PID, IPC and network namespaces; only the granted directories bound) around the WASI layer'
      : `  Confined by: only the WASI layer. bubblewrap is not used: ${confinement.reason ?? 'unknown reason'}`,
  );
  const needs = new Set<CapabilityId>(report.capabilities.map((c) => c.id));
  const title = (id: CapabilityId) => capabilityCatalog.get(id)?.title ?? id;
  // A library is run by calling one export, which gets the arguments.
  if (plan.invoke) lines.push(`  Calls: ${plan.invoke.name}(${plan.invoke.args.map(quoted).join(', ')})`);
  else lines.push(`  Arguments: ${grants.args.length ? grants.args.map(quoted).join(' ') : 'none'}`);
  for (const [id, support] of Object.entries(runnerSupport) as [CapabilityId, (typeof runnerSupport)[CapabilityId]][]) {
    if (support.level !== 'on-grant') continue;
    const given = grantedText(id, prepared);
    // What can be granted is listed even when the binary does not use it: the header says all it was given.
    if (given || needs.has(id)) lines.push(`  ${title(id)}: ${given ?? `not granted (${plainText(support.summary)})`}`);
  }
  const always = [...needs].filter((id) => runnerSupport[id].level === 'always' && id !== 'args');
  if (always.length) lines.push(`  Always available: ${always.map((id) => title(id).toLowerCase()).join(', ')}`);
  for (const id of needs) if (runnerSupport[id].level === 'off') lines.push(`  ${title(id)}: ${plainText(runnerSupport[id].summary)}`);
  lines.push(
    `  ✎ ${EDIT_GRANTS_LINK}${options.explicitGrants ? ' (this run got its grants from its launch configuration or caller)' : ''}`,
  );
  return `${lines.join('\n')}\n\n`;
}

function grantedText(id: CapabilityId, prepared: PreparedRun): string | undefined {
  const grants = prepared.plan.grants;
  if (id === 'filesystem' && grants.dirs.length)
    return grants.dirs.map((d) => `${d.readOnly ? 'read-only' : 'read-write'} ${d.host} as ${d.guest}`).join('; ');
  // Names only: values may be secrets, and terminals are shared on screens and in recordings.
  if (id === 'environment' && Object.keys(grants.env).length) return Object.keys(grants.env).join(', ');
  return undefined;
}

const quoted = (arg: string) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : JSON.stringify(arg));
