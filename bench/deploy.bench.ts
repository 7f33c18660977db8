// Deploy benchmark: `node out/bench/deploy.bench.js` (after `node build.mjs --tests`).
//
// Deploys a 10 MiB WASI command module (the preview1-command fixture padded with a 10 MiB custom section of random
// bytes, new bytes each run so every push uploads the whole layer) to the loopback registry (Debian's
// docker-registry) and a real control plane (kube-apiserver, controller-manager, scheduler; kwok plays the kubelet,
// test/support/kwok-stages.yaml), through real client-node, with the push / apply / run split. The module is a WASI
// command: it runs as a Job, so the "rollout" is the Job's pod scheduled, started and exited (kwok's stage delays,
// ~0.4 s) and the poll interval (--poll, default 100 ms). Then a redeploy of an unchanged binary (blobs already
// there, apply unchanged, the finished Job reported).
//
// Options: --runs=N (default 5), --poll=MS, --json=FILE.
import { mkdirSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { deploy, undeploy, type DeployResult } from '../src/core/deploy';
import { appendCustomSection, fixtureBytes } from '../test/fixtures';
import * as fixtures from '../test/support/cluster-fixtures';
import { startControlPlane } from '../test/support/control-plane';
import { startRegistry } from '../test/support/registry';
import { MiB, ms, size, stats, table } from './stats';

interface Options {
  runs: number;
  pollMs: number;
  json?: string;
}

function parseOptions(argv: string[]): Options {
  const options: Options = { runs: 5, pollMs: 100 };
  for (const arg of argv) {
    const [key, value] = arg.replace(/^--/, '').split('=') as [string, string | undefined];
    const n = Number(value);
    if (key === 'runs' && n > 0) options.runs = n;
    else if (key === 'poll' && n > 0) options.pollMs = n;
    else if (key === 'json' && value) options.json = value;
    else throw new Error(`unknown option ${arg} (use --runs=N --poll=MS --json=FILE)`);
  }
  return options;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const dir = join(process.cwd(), '.test-output', 'bench-deploy');
  mkdirSync(dir, { recursive: true });
  const base = await fixtureBytes('preview1-command');
  const padding = 10 * MiB;

  const [registry, server] = await Promise.all([startRegistry(), startControlPlane()]);
  await server.admin.apply([
    fixtures.node('wasm-0', {
      kubeletPort: server.kubeletPort,
      labels: { 'kubernetes.azure.com/agentpool': 'wasmpool', wasm: 'yes' },
      taints: [{ key: 'kwasm.sh/wasm', value: 'true', effect: 'NoSchedule' }],
    }),
    fixtures.node('system-0', { kubeletPort: server.kubeletPort, labels: { 'kubernetes.azure.com/agentpool': 'system' } }),
    fixtures.runtimeClass('wasmtime', 'wasmtime', { wasm: 'yes' }),
  ]);
  const kubeconfig = server.writeKubeconfig(join(dir, 'kubeconfig'), { contextName: 'bench' });
  const results: DeployResult[] = [];
  let fileSize = 0;
  try {
    const run = async (name: string, file: string) =>
      deploy({
        file,
        image: `${registry.host}/bench/${name}:v1`,
        name,
        context: 'bench',
        kubeconfig: { path: kubeconfig },
        pollMs: options.pollMs,
        rolloutTimeoutMs: 60_000,
      });
    // Warm-up (loads client-node, first TLS handshake, registry's first repository).
    const warm = join(dir, 'warm.wasm');
    writeFileSync(warm, appendCustomSection(base, 'bench.padding', randomBytes(1024)));
    await run('warm', warm);
    const totals: number[] = [];
    for (let i = 0; i < options.runs; i++) {
      const file = join(dir, `app-${i}.wasm`);
      const bytes = appendCustomSection(base, 'bench.padding', randomBytes(padding));
      fileSize = bytes.length;
      writeFileSync(file, bytes);
      const start = performance.now();
      const result = await run(`app-${i}`, file);
      totals.push(performance.now() - start);
      if (!result.rollout?.completed) throw new Error(`run ${i}: not completed: ${result.rollout?.message}`);
      results.push(result);
    }
    // Redeploy of the last binary, unchanged: blobs exist, the apply changes nothing, the pods are ready.
    const again: number[] = [];
    const againSplit: DeployResult[] = [];
    for (let i = 0; i < options.runs; i++) {
      const start = performance.now();
      const r = await run(`app-${options.runs - 1}`, join(dir, `app-${options.runs - 1}.wasm`));
      again.push(performance.now() - start);
      againSplit.push(r);
      if (r.applied.some((a) => a.result !== 'unchanged'))
        throw new Error(`redeploy changed ${r.applied.map((a) => `${a.kind} ${a.result}`).join(', ')}`);
    }
    for (let i = 0; i < options.runs; i++) await undeploy({ name: `app-${i}`, context: 'bench', kubeconfig: { path: kubeconfig } });

    const split = (rs: DeployResult[], key: keyof DeployResult['timings']) => stats(rs.map((r) => r.timings[key])).median;
    const row = (label: string, rs: DeployResult[], total: number[]) => [
      label,
      ms(split(rs, 'inspectMs')),
      ms(split(rs, 'resolveMs')),
      ms(split(rs, 'packageMs')),
      ms(split(rs, 'pushMs')),
      ms(split(rs, 'applyMs')),
      ms(split(rs, 'rolloutMs')),
      ms(stats(total).median),
    ];
    process.stdout.write(
      `Deploy of a ${size(fileSize)} WASI command (a Job): loopback docker-registry + real control plane (kube-apiserver over HTTPS, client-node; kwok's kubelet), ${options.runs} runs, medians; ${cpus().length} cores\n`,
    );
    process.stdout.write(`The run includes scheduling, kwok's pod stages (~0.4 s) and the ${options.pollMs} ms poll interval.\n\n`);
    process.stdout.write(
      `${table(['', 'inspect', 'read cluster', 'package', 'push', 'apply', 'run', 'total'], [row('first deploy (10 MiB uploaded)', results, totals), row('redeploy, unchanged', againSplit, again)])}\n`,
    );
    const push = stats(results.map((r) => r.timings.pushMs)).median;
    process.stdout.write(`\npush throughput: ${(fileSize / MiB / (push / 1000)).toFixed(0)} MiB/s\n`);
    if (options.json) {
      writeFileSync(
        options.json,
        JSON.stringify(
          {
            fileSize,
            runs: options.runs,
            first: results.map((r) => r.timings),
            firstTotals: totals,
            redeploy: againSplit.map((r) => r.timings),
            redeployTotals: again,
          },
          null,
          2,
        ),
      );
    }
  } finally {
    await Promise.all([registry.stop(), server.stop()]);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`deploy benchmark failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
