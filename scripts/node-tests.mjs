// Runs node's test runner on the given folders and files (`npm run test:unit`, `test:shim`), prints its report as it
// comes, and fails the run when a test was skipped (or left as todo) that the allow-list below does not name: a test
// that cannot run where CI runs must fail, not skip. node's own closing lines (# pass, # fail, # skipped) stay last
// but for the verdict on skips.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/**
 * Tests that may skip, each with why; matched against the skipped test's name. Nothing an issue asks to be shown is
 * here: these are optional toolchains a fresh machine need not have.
 */
const allowedSkips = [
  {
    test: 'Go (optional) with Go 1.21+ or TinyGo',
    why: 'Go is optional for Wasm Workbench users and scripts/setup.sh does not install it (Debian ships no Go with wasip1); the test runs where a Go 1.21+ or TinyGo is on PATH',
  },
];

const paths = process.argv.slice(2);
if (!paths.length) {
  console.error('usage: node scripts/node-tests.mjs PATH...');
  process.exit(2);
}

const child = spawn(process.execPath, ['--test', '--test-reporter=tap', ...paths], { stdio: ['ignore', 'pipe', 'inherit'] });
/** @type {{ name: string, reason: string }[]} */
const skipped = [];
const lines = createInterface({ input: child.stdout });
const read = new Promise((resolve) => lines.once('close', resolve));
lines.on('line', (line) => {
  console.log(line);
  // A TAP result line whose directive is SKIP or TODO: `ok 3 - name # SKIP reason` (indented for subtests).
  const result = /^\s*(?:not )?ok \d+ - (.*?) # (SKIP|TODO)\b ?(.*)$/i.exec(line);
  if (result) skipped.push({ name: result[1] ?? '', reason: result[3] ?? '' });
});
const exitCode = await new Promise((resolve) => child.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
await read;

const unexpected = skipped.filter((s) => !allowedSkips.some((a) => a.test === s.name));
for (const s of skipped.filter((s) => !unexpected.includes(s))) {
  console.log(`# allowed skip: ${s.name} (${allowedSkips.find((a) => a.test === s.name)?.why})`);
}
for (const s of unexpected)
  console.log(`# UNEXPECTED SKIP: ${s.name}${s.reason ? ` (${s.reason})` : ''}: a test that cannot run here must fail`);
if (unexpected.length) console.log(`# ${unexpected.length} unexpected skip(s): the run fails`);
process.exitCode = exitCode !== 0 ? exitCode : unexpected.length ? 1 : 0;
