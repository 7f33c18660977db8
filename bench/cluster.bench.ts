// Cluster explorer benchmark: a 5,000-node cluster with 50 Wasm RuntimeClasses and 10 Wasm Deployments, served by a
// real kube-apiserver (test/support/control-plane.ts; the 5,000 nodes are plain objects, no kubelets), read the way
// the Wasm Clusters view reads it: client-node's auth and TLS through a real kubeconfig, paginated lists (500 a
// page), then the model build. Target: under 1 s for the whole read and build; the build alone in tens of
// milliseconds. Heap in use is printed after the runs (this process only: the API server is another process).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildClusterModel, connectToContext, loadKubeconfig, readClusterObjects } from '../src/core/kube';
import * as fixtures from '../test/support/cluster-fixtures';
import { startControlPlane, type KubeObject } from '../test/support/control-plane';
import { MiB, ms, stats, table } from './stats';

function cluster(nodes: number, runtimeClasses: number): KubeObject[] {
  const objects: KubeObject[] = [];
  const pools = 50;
  for (let i = 0; i < nodes; i++) {
    const pool = i % pools;
    const labels: Record<string, string> = {
      'kubernetes.azure.com/agentpool': `pool-${pool}`,
      'topology.kubernetes.io/zone': `zone-${i % 3}`,
      'node.kubernetes.io/instance-type': 'Standard_D4s_v5',
    };
    if (pool < 10) labels[`wasm.example/shim-${pool}`] = 'true';
    objects.push(
      fixtures.node(`aks-pool-${pool}-vmss${String(i).padStart(6, '0')}`, {
        labels,
        ...(pool === 0 ? { taints: [{ key: 'wasm', value: 'true', effect: 'NoSchedule' }] } : {}),
      }),
    );
  }
  const handlers = ['spin', 'wasmtime', 'wasmedge', 'wasmer', 'slight'];
  for (let r = 0; r < runtimeClasses; r++)
    objects.push(fixtures.runtimeClass(`wasm-rc-${r}`, handlers[r % handlers.length]!, { [`wasm.example/shim-${r % 10}`]: 'true' }));
  for (let d = 0; d < 10; d++)
    objects.push(fixtures.deployment(`app-${d}`, `ghcr.io/example/app-${d}:1`, { runtimeClassName: `wasm-rc-${d}`, replicas: 3 }));
  return objects;
}

async function main(): Promise<void> {
  const nodeCount = 5000;
  const rcCount = 50;
  const seedStart = performance.now();
  const server = await startControlPlane({ kwok: false });
  const objects = cluster(nodeCount, rcCount);
  await server.admin.apply(objects.filter((o) => o.kind !== 'Node'));
  await server.createMany(objects.filter((o) => o.kind === 'Node'));
  const seedMs = performance.now() - seedStart;
  const dir = mkdtempSync(join(tmpdir(), 'cluster-bench-'));
  try {
    const kubeconfig = await loadKubeconfig({ path: server.writeKubeconfig(join(dir, 'config'), { contextName: 'bench' }) });
    const client = await connectToContext(kubeconfig, 'bench', { timeoutMs: 30_000 });
    const runs = 7;
    const read: number[] = [];
    const build: number[] = [];
    const total: number[] = [];
    let model;
    // One warm-up, then the measured runs.
    for (let i = 0; i <= runs; i++) {
      const t0 = performance.now();
      const snapshot = await readClusterObjects(client);
      const t1 = performance.now();
      model = buildClusterModel(snapshot.objects, snapshot.problems);
      const t2 = performance.now();
      if (i === 0) continue;
      read.push(t1 - t0);
      build.push(t2 - t1);
      total.push(t2 - t0);
    }
    if (!model || model.nodeCount !== nodeCount || model.runtimes.length !== rcCount)
      throw new Error(`wrong model: ${model?.nodeCount} nodes, ${model?.runtimes.length} runtimes`);
    const heap = process.memoryUsage();
    console.log(
      `\nCluster explorer: ${nodeCount} nodes in ${model.nodePools.length} pools (${model.nodePools.filter((p) => p.wasmCapable).length} Wasm-capable), ${rcCount} Wasm RuntimeClasses, ${model.workloads.length} Wasm workloads; real control plane started and seeded in ${ms(seedMs)}; ${runs} runs after a warm-up; node lists in pages of 500`,
    );
    const s = (x: number[]) => stats(x);
    console.log(
      table(
        ['step', 'median', 'p90', 'max'],
        [
          ['read (HTTPS, paginated lists)', ms(s(read).median), ms(s(read).p90), ms(s(read).max)],
          ['build the model', ms(s(build).median), ms(s(build).p90), ms(s(build).max)],
          ['read + build', ms(s(total).median), ms(s(total).p90), ms(s(total).max)],
        ],
      ),
    );
    console.log(
      `heap used: ${(heap.heapUsed / MiB).toFixed(1)} MiB (heap total ${(heap.heapTotal / MiB).toFixed(1)} MiB, rss ${(heap.rss / MiB).toFixed(1)} MiB; the API server is another process)`,
    );
    const met = s(total).median < 1000;
    console.log(`${met ? '  MET    ' : '  MISSED '} read + build of ${nodeCount} nodes under 1 s: ${ms(s(total).median)}`);
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
