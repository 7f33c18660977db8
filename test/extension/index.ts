// Mocha entry point for the integration tests that run inside a real VS Code extension host
// (extensionTestsPath = out/test/extension/index.js), used by scripts/vscode-host/run-tests.mjs
// (code-server), vsix-check.mjs and run-electron.mjs (@vscode/test-electron).
//
// Output goes through console.log: the host forwards it to the test driver (codeAutomationLog in the
// web workbench, stdout under Electron). The last line is a machine-readable summary that the
// drivers turn into "N passed, N failed".
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';

/** Prefix of the summary line; run-tests.mjs parses the JSON after it. */
export const SUMMARY_PREFIX = 'wasm-workbench-test-summary ';

interface Summary {
  passed: number;
  failed: number;
  pending: number;
  /** The full titles of the skipped tests (a run under code-server skips none: the drivers fail it). */
  skipped: string[];
  durationMs: number;
}

function testFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) found.push(...testFiles(path));
    else if (entry.endsWith('.test.js')) found.push(path);
  }
  return found;
}

function indentLines(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((l) => prefix + l)
    .join('\n');
}

/**
 * One line per test as it finishes (the drivers stream lines as they come, so a hanging test is
 * easy to spot), then failures in full, then the summary.
 */
class LineReporter extends Mocha.reporters.Base {
  constructor(runner: Mocha.Runner, options: Mocha.MochaOptions) {
    super(runner, options);
    const onEnd = (options.reporterOptions as { onEnd: (s: Summary) => void }).onEnd;
    const { EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_TEST_PENDING, EVENT_SUITE_BEGIN, EVENT_RUN_END } = Mocha.Runner.constants;
    const started = Date.now();
    const failures: { title: string; err: Error }[] = [];
    let passed = 0;
    const skipped: string[] = [];
    runner.on(EVENT_SUITE_BEGIN, (suite: Mocha.Suite) => {
      if (suite.title) console.log(`${'  '.repeat(depth(suite) - 1)}${suite.title}`);
    });
    runner.on(EVENT_TEST_PASS, (test: Mocha.Test) => {
      passed++;
      console.log(`${pad(test)}✓ ${test.title} (${test.duration ?? 0} ms)`);
    });
    runner.on(EVENT_TEST_PENDING, (test: Mocha.Test) => {
      skipped.push(test.fullTitle());
      console.log(`${pad(test)}- ${test.title} (skipped)`);
    });
    // Also fires for failing hooks, so a broken before() counts as a failure rather than vanishing.
    runner.on(EVENT_TEST_FAIL, (test: Mocha.Runnable, err: Error) => {
      failures.push({ title: test.fullTitle(), err });
      console.log(`${pad(test)}✗ ${test.title}`);
    });
    runner.once(EVENT_RUN_END, () => {
      failures.forEach(({ title, err }, i) => {
        console.log(`\n${i + 1}) ${title}`);
        console.log(indentLines(err.stack ?? String(err), '   '));
      });
      onEnd({ passed, failed: failures.length, pending: skipped.length, skipped, durationMs: Date.now() - started });
    });
  }
}

function depth(suite: Mocha.Suite): number {
  let d = 0;
  for (let s: Mocha.Suite | undefined = suite; s && !s.root; s = s.parent) d++;
  return d;
}

function pad(test: Mocha.Runnable): string {
  return '  '.repeat(test.parent ? depth(test.parent) : 0);
}

export function run(): Promise<void> {
  const files = testFiles(__dirname);
  let summary: Summary | undefined;
  const mocha = new Mocha({
    ui: 'bdd',
    color: false,
    // Building the fixture binaries with clang and activating the extension can take a few seconds.
    timeout: 30_000,
    reporter: LineReporter,
    reporterOptions: {
      onEnd: (s: Summary) => {
        summary = s;
      },
    },
    // Set by the drivers from VSCODE_HOST_GREP (a regular expression), to run a few tests while working on them.
    ...(process.env.WASM_WORKBENCH_TEST_GREP ? { grep: new RegExp(process.env.WASM_WORKBENCH_TEST_GREP) } : {}),
    // The driver's other session: tests tagged @restricted run apart, in a workspace opened in Restricted Mode.
    ...(process.env.WASM_WORKBENCH_TEST_GREP_INVERT === '1' ? { invert: true } : {}),
  });
  for (const f of files) mocha.addFile(f);
  console.log(`Running ${files.length} test file(s) from ${__dirname}`);

  return new Promise((resolve, reject) => {
    const finish = (error?: unknown) => {
      const s: Summary = summary ?? { passed: 0, failed: 1, pending: 0, skipped: [], durationMs: 0 };
      if (files.length === 0) s.failed++; // an empty run is a broken build, not a success
      console.log(`\n${s.passed} passing, ${s.failed} failing${s.pending ? `, ${s.pending} pending` : ''}`);
      console.log(SUMMARY_PREFIX + JSON.stringify(s));
      // For drivers that cannot read the host's console (e.g. @vscode/test-electron).
      const file = process.env.WASM_WORKBENCH_TEST_SUMMARY;
      if (file) writeFileSync(file, JSON.stringify(s));
      if (error) reject(error instanceof Error ? error : new Error(String(error)));
      else if (s.failed > 0) reject(new Error(`${s.failed} test(s) failed`));
      else resolve();
    };
    try {
      mocha.run(() => finish());
    } catch (err) {
      // e.g. a syntax or load error in a test file
      console.error(err);
      finish(err);
    }
  });
}
