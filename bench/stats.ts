// Statistics, formatting and process timing shared by the benchmarks.
import { spawnSync } from 'node:child_process';

export const MiB = 1024 * 1024;

export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export interface Stats {
  runs: number;
  median: number;
  p90: number;
  min: number;
  max: number;
}

export function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    runs: sorted.length,
    median: quantile(sorted, 0.5),
    p90: quantile(sorted, 0.9),
    min: sorted[0]!,
    max: sorted[sorted.length - 1]!,
  };
}

export const ms = (v: number) => (Number.isFinite(v) ? `${v < 10 ? v.toFixed(2) : v.toFixed(1)} ms` : 'n/a');
export const size = (bytes: number) => (bytes >= MiB ? `${(bytes / MiB).toFixed(1)} MiB` : `${(bytes / 1024).toFixed(1)} KiB`);
export const pct = (v: number) => `${v < 0.01 ? v.toFixed(4) : v.toFixed(3)}%`;
export const ratio = (v: number) => (Number.isFinite(v) ? `${v.toFixed(2)}×` : 'n/a');

export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function timeProcess(command: string, args: string[], captureStdout: boolean): { ms: number; stdout: string } {
  const start = performance.now();
  const r = spawnSync(command, args, {
    encoding: 'utf8',
    stdio: ['ignore', captureStdout ? 'pipe' : 'ignore', 'pipe'],
    maxBuffer: 64 * MiB,
  });
  const elapsed = performance.now() - start;
  if (r.error) throw r.error;
  if (r.status !== 0)
    throw new Error(`${command} ${args.join(' ')} exited with ${r.status}${r.signal ? ` (${r.signal})` : ''}: ${r.stderr}`);
  return { ms: elapsed, stdout: r.stdout ?? '' };
}
