// Inspector panel benchmark: from opening a 50 MB module to the first paint of its summary.
//
//   node build.mjs && node build.mjs --tests && node out/bench/inspector.bench.js [--runs=N] [--warmup=N] [--json=FILE]
//
// Synthesises a core module with 50 MiB of code (bench/synthesize.ts, cached in .test-output/bench/), then
// times what happens when VS Code opens it in the inspector, in headless Chromium with the panel's real HTML,
// script and CSP (test/extension-webview/harness.ts):
//   - the webview page is created and loads (in VS Code: the webview iframe), while in parallel
//   - the extension inspects the file (`inspectFile` with function sizes, as the panel does) and builds the
//     panel's message (`inspectorModel`);
//   - the message is posted, the page renders, and the clock stops when the page has painted (a
//     `requestAnimationFrame` after the one in which it rendered: `data-painted-revision` on <body>).
// Also shown: each part alone. Target: median under 500 ms. Missing it does not fail the process; an error does.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, relative } from 'node:path';
import { inspectFile } from '../src/core/inspect';
import { inspectorModel } from '../src/extension/inspector/model';
import type { HostMessage } from '../src/extension/inspector/protocol';
import { launchBrowser, openPanel, type Panel } from '../test/extension-webview/harness';
import { repoRoot } from '../test/fixtures/tools';
import { MiB, ms, size, stats, table } from './stats';
import { synthesizeModule } from './synthesize';

// The page's globals, for page.evaluate (no DOM lib in this project's tsconfig).
declare const window: { postMessage(message: unknown, origin: string): void; origin: string; __sent: number };
declare const document: { body: { getAttribute(name: string): string | null } };
declare const performance: { now(): number; getEntriesByName(name: string): { startTime: number }[] };

const TARGET_MS = 500;

interface Options {
  runs: number;
  warmup: number;
  json?: string;
}

function parseOptions(argv: string[]): Options {
  const options: Options = { runs: 15, warmup: 3 };
  for (const arg of argv) {
    const [key, value] = arg.replace(/^--/, '').split('=') as [string, string | undefined];
    const n = Number(value);
    if (key === 'runs' && n > 0) options.runs = n;
    else if (key === 'warmup' && n >= 0) options.warmup = n;
    else if (key === 'json' && value) options.json = value;
    else throw new Error(`unknown option ${arg} (use --runs=N --warmup=N --json=FILE)`);
  }
  return options;
}

interface Sample {
  /** Start of inspectFile → page painted the report. */
  total: number;
  /** inspectFile + inspectorModel. */
  inspect: number;
  /** New page → its `ready` message. */
  load: number;
  /** Message posted (in the page's clock) → painted. */
  render: number;
}

async function once(browser: Awaited<ReturnType<typeof launchBrowser>>, path: string, fileName: string): Promise<Sample> {
  const start = performance.now();
  let inspectEnd = 0;
  let loadEnd = 0;
  const inspecting = inspectFile(path, { functionBodies: true, wit: false }).then((report) => {
    const model = inspectorModel(report, fileName, { run: true, deploy: false, revision: 1 });
    inspectEnd = performance.now();
    return model;
  });
  const loading = openPanel(browser, fileName).then((panel) => {
    loadEnd = performance.now();
    return panel;
  });
  let panel: Panel | undefined;
  let model: Awaited<typeof inspecting>;
  try {
    const [built, opened] = await Promise.all([inspecting, loading]);
    model = built;
    panel = opened;
    if (model.report.kind !== 'module' || !model.size.functions?.largest.length)
      throw new Error('the report of the synthesised module is wrong');
    const message: HostMessage = { type: 'report', model };
    await panel.page.evaluate(
      (m) => {
        window.__sent = performance.now();
        window.postMessage(m, window.origin);
      },
      JSON.parse(JSON.stringify(message)) as HostMessage,
    );
    await panel.page.waitForFunction(() => document.body.getAttribute('data-painted-revision') === '1', undefined, { polling: 'raf' });
    const total = performance.now() - start;
    const render = await panel.page.evaluate(() => performance.getEntriesByName('inspector-painted')[0]!.startTime - window.__sent);
    if (panel.errors.length) throw new Error(`the page failed: ${panel.errors.join('; ')}`);
    const summary = await panel.page.locator('#summary').textContent();
    if (!summary?.includes(model.report.host.title) || !summary.includes('50 MiB'))
      throw new Error(`the summary does not show the module: ${summary}`);
    return { total, inspect: inspectEnd - start, load: loadEnd - start, render };
  } finally {
    await panel?.page.close();
  }
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const root = repoRoot();
  const outDir = join(root, '.test-output', 'bench');
  mkdirSync(outDir, { recursive: true });
  console.log(`Wasm Workbench inspector benchmark — node ${process.version}, ${process.platform}/${process.arch}, ${cpus().length} CPU(s)`);
  const file = synthesizeModule(join(outDir, 'code-50mb.wasm'), 50 * MiB);
  console.log(
    `${file.reused ? 'reused' : 'synthesised'} ${relative(root, file.path)}: ${size(file.fileSize)}, ${file.functionCount} functions`,
  );

  const browser = await launchBrowser();
  const samples: Sample[] = [];
  try {
    for (let i = 0; i < options.warmup; i++) await once(browser, file.path, 'code-50mb.wasm');
    for (let i = 0; i < options.runs; i++) samples.push(await once(browser, file.path, 'code-50mb.wasm'));
  } finally {
    await browser.close();
  }

  const columns: [keyof Sample, string][] = [
    ['total', 'open → summary painted'],
    ['inspect', '  inspectFile + panel model'],
    ['load', '  webview page load (in parallel)'],
    ['render', '  message → painted, in the page'],
  ];
  const results = Object.fromEntries(columns.map(([key]) => [key, stats(samples.map((s) => s[key]))])) as Record<
    keyof Sample,
    ReturnType<typeof stats>
  >;
  console.log(`\n${options.runs} runs after ${options.warmup} warm-up runs, headless Chromium (/usr/bin/chromium), a new page per run`);
  console.log(
    table(
      ['', 'median', 'p90', 'min', 'max'],
      columns.map(([key, label]) => [label, ms(results[key].median), ms(results[key].p90), ms(results[key].min), ms(results[key].max)]),
    ),
  );
  const met = results.total.median < TARGET_MS;
  console.log(
    `\ntarget: open to first paint of the summary under ${TARGET_MS} ms for a 50 MB module (median ${ms(results.total.median)}): ${met ? 'MET' : 'MISSED'}`,
  );
  if (options.json) {
    writeFileSync(
      options.json,
      JSON.stringify(
        { file: { path: file.path, bytes: file.fileSize, functions: file.functionCount }, targetMs: TARGET_MS, met, results, samples },
        null,
        2,
      ) + '\n',
    );
    console.log(`results written to ${options.json}`);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
