/** Builds what the inspector panel shows from an inspect report (no `vscode` import: tests and the benchmark use it too). */
import type { InspectReport } from '../../core/inspect';
import { featureRows } from '../../core/inspect/features';
import { sizeBreakdown } from '../../core/inspect/size';
import { byteSpans } from '../../core/inspect/spans';
import type { InspectorModel, InspectorReport } from './protocol';

/** Largest functions the size picture lists. */
export const TOP_FUNCTIONS = 20;
/** Parts of the size bar: the 7 largest sections and one for the rest, so no two parts share a colour. */
export const MAX_SECTIONS = 8;

export function inspectorModel(report: InspectReport, fileName: string, options: { run: boolean; deploy: boolean; revision?: number }): InspectorModel {
  // Bodies can number in the hundreds of thousands; the panel needs only the largest, which the size picture holds.
  const { bodies: _bodies, ...functions } = report.functions;
  const shown: InspectorReport = { ...report, functions };
  return {
    fileName,
    report: shown,
    size: sizeBreakdown(report, { topFunctions: TOP_FUNCTIONS, maxSections: MAX_SECTIONS }),
    actions: { run: options.run, deploy: options.deploy },
    revision: options.revision ?? 0,
    featureRows,
    spans: byteSpans(report),
  };
}
