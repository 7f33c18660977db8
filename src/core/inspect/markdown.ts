/**
 * The readable report, as Markdown: the CLI prints it and the editor shows it. Names from the binary are
 * put in code spans with backticks neutralised, so a hostile export name cannot change the document.
 */
import type { HostRequirements } from '../capabilities';
import { formatBytes } from '../text/bytes';
import { code, markdown } from '../text/markdown';
import { featureRows } from './features';
import type { InspectReport } from './report';

export { code };

/** Table cells: a pipe inside a code span would still split the row. */
function cell(text: string): string {
  return code(text).replace(/\|/g, '\\|');
}

const riskLabel = { low: 'low risk', medium: 'medium risk', high: 'high risk' } as const;

export function formatHostMarkdown(host: HostRequirements): string[] {
  const lines = [`**Host:** ${host.title}`, '', markdown(host.summary)];
  if (host.entryPoint) lines.push('', `**Entry point:** ${code(host.entryPoint)}`);
  for (const note of host.notes) lines.push('', `> ${markdown(note)}`);
  return lines;
}

export function formatCapabilitiesMarkdown(
  report: Pick<InspectReport, 'capabilities' | 'capabilitySummary' | 'unrecognisedImports'>,
): string[] {
  const { capabilities, unrecognisedImports: unrecognised } = report;
  const lines = ['## Capabilities', '', markdown(report.capabilitySummary), ''];
  for (const capability of capabilities) {
    lines.push(`### ${capability.title} — ${code(capability.id)} (${riskLabel[capability.risk]})`, '');
    lines.push(capability.description, '');
    lines.push(`- **Because it imports:** ${capability.imports.map(code).join(', ')}`);
    lines.push(`- **Grant with wasm-workbench run:** ${markdown(capability.grant.runner)}`);
    lines.push(`- **wasmtime:** ${markdown(capability.grant.wasmtime)}`);
    lines.push(`- **Spin:** ${markdown(capability.grant.spin)}`, '');
  }
  if (unrecognised.length) {
    lines.push('### Unrecognised WASI imports', '');
    for (const u of unrecognised) lines.push(`- ${code(u.import)}: ${u.note}`);
    lines.push('');
  }
  return lines;
}

export function formatCapsMarkdown(report: InspectReport, title: string): string {
  return (
    [`# Wasm capabilities: ${title}`, '', ...formatHostMarkdown(report.host), '', ...formatCapabilitiesMarkdown(report)]
      .join('\n')
      .trimEnd() + '\n'
  );
}

export function formatReportMarkdown(report: InspectReport, title: string): string {
  const lines: string[] = [`# Wasm report: ${title}`, ''];
  const kind = report.kind === 'module' ? 'Core module' : 'Component';
  lines.push(
    `**Kind:** ${kind}, ${formatBytes(report.sizeBytes)} (${report.sizeBytes} bytes)${report.moduleName !== undefined ? ` — name ${code(report.moduleName)}` : ''}`,
    '',
  );
  lines.push(...formatHostMarkdown(report.host), '');
  if (report.producers) {
    const producers = Object.entries(report.producers).map(
      ([field, values]) => `${field}: ${values.map((v) => code(v.version ? `${v.name} ${v.version}` : v.name)).join(', ')}`,
    );
    lines.push(`**Producers:** ${producers.join('; ')}`, '');
  }
  if (report.features.length) lines.push(`**${featureRows.used.label}:** ${report.features.join(', ')} (${featureRows.used.meaning})`, '');
  if (report.targetFeatures?.length)
    lines.push(
      `**${featureRows.target.label}:** ${report.targetFeatures.map((f) => code(`${f.prefix}${f.name}`)).join(' ')} (${featureRows.target.meaning})`,
      '',
    );
  lines.push(...formatCapabilitiesMarkdown(report));

  lines.push(`## Imports (${report.imports.length})`, '');
  if (report.imports.length) {
    lines.push(report.kind === 'module' ? '| Module | Name | Kind | Type |' : '| Name | Kind | Type |');
    lines.push(report.kind === 'module' ? '|---|---|---|---|' : '|---|---|---|');
    for (const i of report.imports) {
      lines.push(
        report.kind === 'module'
          ? `| ${cell(i.module)} | ${cell(i.name)} | ${i.kind} | ${cell(i.type)} |`
          : `| ${cell(i.name)} | ${i.kind} | ${cell(i.type)} |`,
      );
    }
  } else lines.push('None.');
  lines.push('', `## Exports (${report.exports.length})`, '');
  if (report.exports.length) {
    lines.push('| Name | Kind | Type |', '|---|---|---|');
    for (const e of report.exports) lines.push(`| ${cell(e.name)} | ${e.kind} | ${cell(e.type)} |`);
  } else lines.push('None.');

  if (report.wit) lines.push('', '## WIT world', '', '```wit', report.wit.replace(/```/g, '`\u200b``').trimEnd(), '```');
  if (report.witError) lines.push('', '## WIT world', '', `Not available: ${report.witError}`);
  if (report.coreModules?.length) {
    lines.push(
      '',
      `## Core modules (${report.coreModules.length})`,
      '',
      '| # | Size | Functions | Code | Imports | Exports |',
      '|---|---|---|---|---|---|',
    );
    for (const m of report.coreModules)
      lines.push(
        `| ${m.index} | ${formatBytes(m.sizeBytes)} | ${m.functions} | ${formatBytes(m.codeBytes)} | ${m.imports} | ${m.exports} |`,
      );
  }

  lines.push('', `## Sections (${report.sections.length})`, '', '| Section | Offset | Size |', '|---|---|---|');
  for (const s of report.sections) lines.push(`| ${cell(s.name)} | 0x${s.offset.toString(16)} | ${formatBytes(s.size)} |`);
  lines.push(
    '',
    `**Functions:** ${report.functions.imported} imported, ${report.functions.defined} defined, ${formatBytes(report.functions.codeBytes)} of code`,
  );
  const debug = [
    report.debug.dwarf ? 'DWARF' : '',
    report.debug.sourceMappingURL !== undefined ? `source map ${code(report.debug.sourceMappingURL)}` : '',
    report.debug.externalDebugInfo !== undefined ? `external debug info ${code(report.debug.externalDebugInfo)}` : '',
  ].filter(Boolean);
  lines.push('', `**Debug info:** ${debug.length ? debug.join(', ') : 'none'}`);
  if (report.warnings.length) {
    lines.push('', '## Warnings', '');
    for (const w of report.warnings) lines.push(`- at byte 0x${w.offset.toString(16)}: ${w.message}`);
  }
  return lines.join('\n') + '\n';
}
