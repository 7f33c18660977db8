// The static checks of `npm test`, each a suite of its own that ends with a line CI reads ("NAME: N passed, N failed"):
//   typecheck  tsc on every project of the tree: src, test and bench (tsconfig.json), the scripts (scripts/), and the
//              webview pages (media/, plain JS checked with checkJs)
//   lint       eslint (eslint.config.mjs), counted by file
//   format     prettier --check (.prettierrc.json), counted by file
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
const require = createRequire(import.meta.url);

/** @param {string} name @param {number} passed @param {number} failed */
function close(name, passed, failed) {
  console.log(`${name}: ${passed} passed, ${failed} failed`);
  return failed === 0 && passed > 0 ? 0 : 1;
}

function typecheck() {
  const projects = ['tsconfig.json', 'scripts/tsconfig.json', 'media/tsconfig.json'];
  let failed = 0;
  for (const project of projects) {
    const result = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', project, '--noEmit', '--pretty', 'false'], {
      stdio: 'inherit',
    });
    console.log(`${result.status === 0 ? 'ok' : 'FAILED'}  tsc -p ${project}`);
    if (result.status !== 0) failed++;
  }
  return close('typecheck', projects.length - failed, failed);
}

async function lint() {
  const { ESLint } = await import('eslint');
  const eslint = new ESLint();
  const results = await eslint.lintFiles(['.']);
  const formatter = await eslint.loadFormatter('stylish');
  const text = await formatter.format(results);
  if (text) console.log(text);
  const failed = results.filter((r) => r.errorCount > 0 || r.warningCount > 0).length;
  return close('lint', results.length - failed, failed);
}

async function format() {
  const prettier = await import('prettier');
  const listed = spawnSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { encoding: 'utf8' });
  if (listed.status !== 0) throw new Error(`git ls-files failed: ${listed.stderr}`);
  let passed = 0;
  const unformatted = [];
  for (const file of listed.stdout.split('\n').filter((f) => f && existsSync(f))) {
    const info = await prettier.getFileInfo(file, { ignorePath: '.prettierignore' });
    if (info.ignored || !info.inferredParser) continue;
    const options = { ...(await prettier.resolveConfig(file)), filepath: file };
    if (await prettier.check(readFileSync(file, 'utf8'), options)) passed++;
    else unformatted.push(file);
  }
  for (const file of unformatted) console.log(`not formatted: ${file} (npm run format)`);
  return close('format', passed, unformatted.length);
}

const checks = { typecheck, lint, format };
const name = process.argv[2];
if (!name || !Object.hasOwn(checks, name)) {
  console.error(`usage: node scripts/code-checks.mjs ${Object.keys(checks).join('|')}`);
  process.exit(2);
}
process.exitCode = await checks[/** @type {keyof typeof checks} */ (name)]();
