/**
 * Conformance of the test Kubernetes API server (test/support/kube-test-server) with the REST conventions the
 * cluster explorer and deploy code rely on: authentication, discovery, pagination, selectors, watch, writes,
 * server-side apply and its conflicts, and the small controller. Requests go over HTTPS with the server's CA.
 */
import assert from 'node:assert/strict';
import { request } from 'node:https';
import { after, before, describe, it } from 'node:test';
import { fixtures, startKubeTestServer, type KubeTestServer } from '../../support/kube-test-server';

interface Answer {
  status: number;
  body: any;
}

function call(server: KubeTestServer, method: string, path: string, options: { body?: unknown; contentType?: string; token?: string | null } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const text = options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (options.token !== null) headers.Authorization = `Bearer ${options.token ?? server.token}`;
    if (text !== undefined) headers['Content-Type'] = options.contentType ?? 'application/json';
    const req = request(`${server.url}${path}`, { method, headers, ca: server.caPem }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        let body: unknown = raw;
        try {
          body = JSON.parse(raw);
        } catch {
          // text
        }
        resolve({ status: res.statusCode ?? 0, body });
      });
    });
    req.on('error', reject);
    if (text !== undefined) req.write(text);
    req.end();
  });
}

/** Opens a watch and collects its events until `stop()`. */
function openWatch(server: KubeTestServer, path: string): { events: { type: string; object: any }[]; ended: Promise<void>; stop: () => void; waitFor: (n: number, ms?: number) => Promise<void> } {
  const events: { type: string; object: any }[] = [];
  let stopFn = () => {};
  const ended = new Promise<void>((resolve, reject) => {
    const req = request(`${server.url}${path}`, { headers: { Authorization: `Bearer ${server.token}` }, ca: server.caPem }, (res) => {
      let buffered = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffered += chunk;
        let i: number;
        while ((i = buffered.indexOf('\n')) >= 0) {
          const line = buffered.slice(0, i);
          buffered = buffered.slice(i + 1);
          if (line.trim()) events.push(JSON.parse(line));
        }
      });
      res.on('end', () => resolve());
      res.on('close', () => resolve());
    });
    req.on('error', (e) => ((e as { code?: string }).code === 'ECONNRESET' ? resolve() : reject(e)));
    req.end();
    stopFn = () => req.destroy();
  });
  const waitFor = async (n: number, ms = 3000) => {
    for (const end = Date.now() + ms; Date.now() < end; ) {
      if (events.length >= n) return;
      await new Promise((r) => setTimeout(r, 10));
    }
    assert.fail(`expected ${n} watch events, got ${events.length}: ${JSON.stringify(events.map((e) => e.type))}`);
  };
  return { events, ended, stop: () => stopFn(), waitFor };
}

describe('kube test server', () => {
  let server: KubeTestServer;
  const viewer = 'viewer-token';
  const nobody = 'nobody-token';

  before(async () => {
    server = await startKubeTestServer({
      objects: fixtures.mixedCluster(),
      tokens: {
        [viewer]: { user: 'viewer', rules: [{ verbs: ['get', 'list', 'watch'], resources: ['runtimeclasses', 'pods'] }] },
        [nobody]: { user: 'nobody', rules: [] },
      },
      readyDelayMs: 30,
      bookmarkIntervalMs: 100,
    });
  });
  after(() => server.stop());

  describe('authentication and authorisation', () => {
    it('answers 401 with a Status for a missing or wrong token', async () => {
      for (const token of [null, 'wrong']) {
        const a = await call(server, 'GET', '/api/v1/nodes', { token });
        assert.equal(a.status, 401);
        assert.equal(a.body.kind, 'Status');
        assert.equal(a.body.reason, 'Unauthorized');
        assert.equal(a.body.code, 401);
      }
    });

    it('answers 403 naming the user, verb, resource and scope', async () => {
      const a = await call(server, 'GET', '/api/v1/nodes', { token: viewer });
      assert.equal(a.status, 403);
      assert.equal(a.body.reason, 'Forbidden');
      assert.equal(a.body.message, 'nodes is forbidden: User "viewer" cannot list resource "nodes" in API group "" at the cluster scope');
      const b = await call(server, 'DELETE', '/apis/node.k8s.io/v1/runtimeclasses/wasmedge', { token: viewer });
      assert.equal(b.status, 403);
      assert.match(b.body.message, /runtimeclasses\.node\.k8s\.io "wasmedge" is forbidden: User "viewer" cannot delete/);
      const c = await call(server, 'GET', '/api/v1/namespaces/default/pods', { token: viewer });
      assert.equal(c.status, 200);
    });

    it('lets any authenticated user read discovery', async () => {
      assert.equal((await call(server, 'GET', '/apis', { token: nobody })).status, 200);
      assert.equal((await call(server, 'GET', '/api/v1/nodes', { token: nobody })).status, 403);
    });
  });

  describe('discovery', () => {
    it('serves /api, /api/v1, /apis and group versions, with custom resources from CRDs', async () => {
      const api = await call(server, 'GET', '/api');
      assert.deepEqual(api.body.versions, ['v1']);
      const v1 = await call(server, 'GET', '/api/v1');
      const nodes = v1.body.resources.find((r: any) => r.name === 'nodes');
      assert.deepEqual([nodes.kind, nodes.namespaced], ['Node', false]);
      assert.equal(v1.body.resources.find((r: any) => r.name === 'pods').namespaced, true);
      const groups = (await call(server, 'GET', '/apis')).body.groups.map((g: any) => g.name);
      for (const g of ['apps', 'node.k8s.io', 'apiextensions.k8s.io', 'core.spinkube.dev', 'runtime.spinkube.dev']) assert.ok(groups.includes(g), g);
      const spin = await call(server, 'GET', '/apis/core.spinkube.dev/v1alpha1');
      assert.deepEqual(spin.body.resources.filter((r: any) => !r.name.includes('/')).map((r: any) => r.kind).sort(), ['SpinApp', 'SpinAppExecutor']);
      const shim = (await call(server, 'GET', '/apis/runtime.spinkube.dev/v1alpha1')).body.resources[0];
      assert.deepEqual([shim.kind, shim.namespaced], ['Shim', false]);
      assert.equal((await call(server, 'GET', '/apis/example.com/v1')).status, 404);
    });

    it('serves a new group as soon as its CRD is created, and stops when it is deleted', async () => {
      const crd = {
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name: 'widgets.example.com' },
        spec: { group: 'example.com', scope: 'Namespaced', names: { kind: 'Widget', plural: 'widgets' }, versions: [{ name: 'v1', served: true, storage: true }] },
      };
      assert.equal((await call(server, 'POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', { body: crd })).status, 201);
      assert.equal((await call(server, 'GET', '/apis/example.com/v1')).status, 200);
      const w = await call(server, 'POST', '/apis/example.com/v1/namespaces/default/widgets', { body: { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w1' }, spec: { size: 3 } } });
      assert.equal(w.status, 201);
      assert.equal(w.body.spec.size, 3);
      assert.equal((await call(server, 'DELETE', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com')).status, 200);
      assert.equal((await call(server, 'GET', '/apis/example.com/v1')).status, 404);
    });
  });

  describe('list', () => {
    it('pages with limit and continue, keeping the first page\'s resourceVersion', async () => {
      const big = await startKubeTestServer({ objects: Array.from({ length: 1234 }, (_, i) => fixtures.node(`n-${String(i).padStart(4, '0')}`)), controller: false });
      try {
        const names: string[] = [];
        let cont = '';
        const versions = new Set<string>();
        let pages = 0;
        do {
          const a = await call(big, 'GET', `/api/v1/nodes?limit=500${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`);
          assert.equal(a.status, 200);
          assert.equal(a.body.kind, 'NodeList');
          names.push(...a.body.items.map((n: any) => n.metadata.name));
          versions.add(a.body.metadata.resourceVersion);
          if (pages === 0) assert.equal(a.body.metadata.remainingItemCount, 734);
          cont = a.body.metadata.continue ?? '';
          pages++;
        } while (cont);
        assert.equal(pages, 3);
        assert.equal(names.length, 1234);
        assert.equal(new Set(names).size, 1234);
        assert.deepEqual(names, [...names].sort());
        assert.equal(versions.size, 1);
        const bad = await call(big, 'GET', '/api/v1/nodes?limit=5&continue=garbage');
        assert.equal(bad.status, 400);
        const first = await call(big, 'GET', '/api/v1/nodes?limit=5');
        big.store.put(fixtures.node('late'));
        big.store.compact();
        const expired = await call(big, 'GET', `/api/v1/nodes?limit=5&continue=${encodeURIComponent(first.body.metadata.continue)}`);
        assert.equal(expired.status, 410);
        assert.equal(expired.body.reason, 'Expired');
      } finally {
        await big.stop();
      }
    });

    it('filters by label selector: =, ==, !=, in, notin, exists and !exists', async () => {
      const names = async (selector: string) => {
        const a = await call(server, 'GET', `/api/v1/nodes?labelSelector=${encodeURIComponent(selector)}`);
        assert.equal(a.status, 200, JSON.stringify(a.body));
        return a.body.items.map((n: any) => n.metadata.name).sort();
      };
      assert.deepEqual(await names('agentpool=system'), ['aks-system-0', 'aks-system-1']);
      assert.deepEqual(await names('agentpool==wasipool'), ['aks-wasipool-0', 'aks-wasipool-1']);
      assert.deepEqual(await names('cloud.google.com/gke-nodepool in (wasm-pool,default-pool)'), ['gke-default-0', 'kwasm-0', 'kwasm-1']);
      assert.deepEqual(await names('kwasm.sh/kwasm-provisioned'), ['kwasm-0', 'kwasm-1']);
      assert.deepEqual((await names('!agentpool,kubernetes.io/arch=amd64,cloud.google.com/gke-nodepool notin (wasm-pool)')), ['eks-ng-0', 'gke-default-0', 'plain-0']);
      assert.ok((await names('agentpool!=system')).includes('plain-0'), '!= matches nodes without the label');
      assert.deepEqual(await names('kubernetes.io/arch=arm64'), ['karpenter-arm-0']);
      const bad = await call(server, 'GET', `/api/v1/nodes?labelSelector=${encodeURIComponent('a in b')}`);
      assert.equal(bad.status, 400);
      assert.equal(bad.body.reason, 'BadRequest');
    });

    it('lists all namespaces or one, and filters by field selector', async () => {
      server.store.put({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } });
      server.store.put({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c1', namespace: 'team-a' }, data: {} });
      server.store.put({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c2', namespace: 'default' }, data: {} });
      const all = await call(server, 'GET', '/api/v1/configmaps');
      assert.deepEqual(all.body.items.map((c: any) => c.metadata.name).sort(), ['c1', 'c2']);
      const one = await call(server, 'GET', '/api/v1/namespaces/team-a/configmaps');
      assert.deepEqual(one.body.items.map((c: any) => c.metadata.name), ['c1']);
      const byName = await call(server, 'GET', '/api/v1/configmaps?fieldSelector=metadata.name%3Dc2');
      assert.deepEqual(byName.body.items.map((c: any) => c.metadata.name), ['c2']);
      assert.equal((await call(server, 'GET', '/api/v1/configmaps?fieldSelector=spec.x%3D1')).status, 400);
    });

    it('refuses a resourceVersion from the future with 504', async () => {
      const a = await call(server, 'GET', `/api/v1/nodes?resourceVersion=${server.store.resourceVersion + 1000}`);
      assert.equal(a.status, 504);
      assert.match(a.body.message, /Too large resource version/);
    });
  });

  describe('writes', () => {
    it('creates, gets, replaces and deletes, namespaced and cluster-scoped, with Status errors', async () => {
      const rc = fixtures.runtimeClass('wasmer', 'wasmer');
      const created = await call(server, 'POST', '/apis/node.k8s.io/v1/runtimeclasses', { body: rc });
      assert.equal(created.status, 201);
      assert.ok(created.body.metadata.uid);
      assert.ok(Number(created.body.metadata.resourceVersion) > 0);
      const again = await call(server, 'POST', '/apis/node.k8s.io/v1/runtimeclasses', { body: rc });
      assert.equal(again.status, 409);
      assert.equal(again.body.reason, 'AlreadyExists');
      assert.equal(again.body.message, 'runtimeclasses.node.k8s.io "wasmer" already exists');

      const got = await call(server, 'GET', '/apis/node.k8s.io/v1/runtimeclasses/wasmer');
      assert.equal(got.body.handler, 'wasmer');
      const stale = { ...got.body, metadata: { ...got.body.metadata, resourceVersion: '1' }, handler: 'wasmer2' };
      const conflict = await call(server, 'PUT', '/apis/node.k8s.io/v1/runtimeclasses/wasmer', { body: stale });
      assert.equal(conflict.status, 409);
      assert.equal(conflict.body.reason, 'Conflict');
      const replaced = await call(server, 'PUT', '/apis/node.k8s.io/v1/runtimeclasses/wasmer', { body: { ...got.body, handler: 'wasmer2' } });
      assert.equal(replaced.status, 200);
      assert.ok(Number(replaced.body.metadata.resourceVersion) > Number(got.body.metadata.resourceVersion));

      const deleted = await call(server, 'DELETE', '/apis/node.k8s.io/v1/runtimeclasses/wasmer');
      assert.equal(deleted.status, 200);
      assert.equal(deleted.body.status, 'Success');
      const missing = await call(server, 'GET', '/apis/node.k8s.io/v1/runtimeclasses/wasmer');
      assert.equal(missing.status, 404);
      assert.equal(missing.body.reason, 'NotFound');
      assert.equal(missing.body.message, 'runtimeclasses.node.k8s.io "wasmer" not found');
      assert.equal(missing.body.details.name, 'wasmer');
    });

    it('rejects invalid objects with 422 and an unknown namespace with 404', async () => {
      const noName = await call(server, 'POST', '/api/v1/namespaces/default/configmaps', { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: {} } });
      assert.equal(noName.status, 422);
      assert.equal(noName.body.reason, 'Invalid');
      assert.match(noName.body.message, /metadata\.name: Required value/);
      const wrongKind = await call(server, 'POST', '/api/v1/namespaces/default/configmaps', { body: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x' } } });
      assert.equal(wrongKind.status, 422);
      assert.match(wrongKind.body.message, /kind: Invalid value: "Secret"/);
      const badDeploy = await call(server, 'POST', '/apis/apps/v1/namespaces/default/deployments', { body: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'Bad_Name' }, spec: {} } });
      assert.equal(badDeploy.status, 422);
      assert.equal(badDeploy.body.details.causes.length >= 2, true);
      const noNs = await call(server, 'POST', '/api/v1/namespaces/nowhere/configmaps', { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } } });
      assert.equal(noNs.status, 404);
      assert.equal(noNs.body.message, 'namespaces "nowhere" not found');
    });

    it('merge-patches and JSON-patches, and deleting an owner removes what it owns', async () => {
      await call(server, 'POST', '/api/v1/namespaces/default/configmaps', { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'p1' }, data: { a: '1', b: '2' } } });
      const merged = await call(server, 'PATCH', '/api/v1/namespaces/default/configmaps/p1', { body: { data: { b: null, c: '3' } }, contentType: 'application/merge-patch+json' });
      assert.deepEqual(merged.body.data, { a: '1', c: '3' });
      const json = await call(server, 'PATCH', '/api/v1/namespaces/default/configmaps/p1', { body: [{ op: 'replace', path: '/data/a', value: '9' }], contentType: 'application/json-patch+json' });
      assert.deepEqual(json.body.data, { a: '9', c: '3' });
      const owner = (await call(server, 'GET', '/api/v1/namespaces/default/configmaps/p1')).body;
      server.store.put({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'child', namespace: 'default', ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'p1', uid: owner.metadata.uid }] } });
      await call(server, 'DELETE', '/api/v1/namespaces/default/configmaps/p1');
      assert.equal((await call(server, 'GET', '/api/v1/namespaces/default/configmaps/child')).status, 404);
    });
  });

  describe('watch', () => {
    it('streams ADDED, MODIFIED and DELETED from a list\'s resourceVersion, and BOOKMARKs when allowed', async () => {
      const list = await call(server, 'GET', '/apis/node.k8s.io/v1/runtimeclasses');
      const w = openWatch(server, `/apis/node.k8s.io/v1/runtimeclasses?watch=1&resourceVersion=${list.body.metadata.resourceVersion}&allowWatchBookmarks=true`);
      try {
        await call(server, 'POST', '/apis/node.k8s.io/v1/runtimeclasses', { body: fixtures.runtimeClass('lunatic', 'lunatic') });
        await call(server, 'PATCH', '/apis/node.k8s.io/v1/runtimeclasses/lunatic', { body: { metadata: { labels: { a: 'b' } } }, contentType: 'application/merge-patch+json' });
        await call(server, 'DELETE', '/apis/node.k8s.io/v1/runtimeclasses/lunatic');
        await w.waitFor(3);
        const changes = w.events.filter((e) => e.type !== 'BOOKMARK');
        assert.deepEqual(changes.map((e) => e.type), ['ADDED', 'MODIFIED', 'DELETED']);
        assert.equal(changes[0]!.object.kind, 'RuntimeClass');
        assert.ok(Number(changes[2]!.object.metadata.resourceVersion) > Number(changes[1]!.object.metadata.resourceVersion));
        const before = w.events.length;
        await new Promise((r) => setTimeout(r, 250));
        assert.ok(w.events.slice(before).some((e) => e.type === 'BOOKMARK' && e.object.metadata.resourceVersion), 'a bookmark arrives');
      } finally {
        w.stop();
      }
    });

    it('without a resourceVersion starts with ADDED for what exists', async () => {
      const w = openWatch(server, '/apis/node.k8s.io/v1/runtimeclasses?watch=true');
      try {
        const count = (await call(server, 'GET', '/apis/node.k8s.io/v1/runtimeclasses')).body.items.length;
        await w.waitFor(count);
        assert.ok(w.events.every((e) => e.type === 'ADDED'));
      } finally {
        w.stop();
      }
    });

    it('reports objects leaving a label selector as DELETED', async () => {
      server.store.put({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'sel', namespace: 'default', labels: { tier: 'wasm' } } });
      const rv = server.store.resourceVersion;
      const w = openWatch(server, `/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=${rv}&labelSelector=tier%3Dwasm`);
      try {
        server.store.modify('v1', 'ConfigMap', 'sel', 'default', (o) => {
          o.metadata!.labels = { tier: 'linux' };
        });
        server.store.modify('v1', 'ConfigMap', 'sel', 'default', (o) => {
          o.metadata!.labels = { tier: 'wasm' };
        });
        await w.waitFor(2);
        assert.deepEqual(w.events.map((e) => e.type), ['DELETED', 'ADDED']);
      } finally {
        w.stop();
      }
    });

    it('answers a too old resourceVersion with an ERROR event carrying 410 Expired', async () => {
      const old = server.store.resourceVersion;
      server.store.put(fixtures.runtimeClass('expire-me', 'spin'));
      server.store.compact();
      const w = openWatch(server, `/apis/node.k8s.io/v1/runtimeclasses?watch=1&resourceVersion=${old}`);
      await w.ended;
      assert.equal(w.events.length, 1);
      assert.equal(w.events[0]!.type, 'ERROR');
      assert.equal(w.events[0]!.object.code, 410);
      assert.equal(w.events[0]!.object.reason, 'Expired');
    });
  });

  describe('server-side apply', () => {
    const path = '/apis/apps/v1/namespaces/default/deployments/ssa';
    const applied = (replicas: number, extraLabels: Record<string, string> = {}) => {
      const d = fixtures.deployment('ssa', 'registry.example/ssa:1', { runtimeClassName: 'wasmtime-spin-v2', replicas }) as any;
      d.metadata.labels = { ...d.metadata.labels, ...extraLabels };
      return d;
    };
    const apply = (body: unknown, query: string) => call(server, 'PATCH', `${path}?${query}`, { body, contentType: 'application/apply-patch+yaml' });

    it('requires a fieldManager', async () => {
      const a = await apply(applied(1), '');
      assert.equal(a.status, 422);
      assert.match(a.body.message, /fieldManager: Required value/);
    });

    it('creates, records managed fields, conflicts on a field another manager owns, and takes it with force', async () => {
      const created = await apply(applied(2, { team: 'a' }), 'fieldManager=alice');
      assert.equal(created.status, 201);
      const alice = created.body.metadata.managedFields.find((m: any) => m.manager === 'alice');
      assert.equal(alice.operation, 'Apply');
      assert.ok(alice.fieldsV1['f:spec']['f:replicas']);
      assert.ok(alice.fieldsV1['f:metadata']['f:labels']['f:team']);
      assert.ok(alice.fieldsV1['f:spec']['f:template']['f:spec']['f:containers']['k:{"name":"ssa"}']['f:image']);

      // Same value: shared ownership, no conflict.
      const same = await apply({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'ssa' }, spec: { replicas: 2 } }, 'fieldManager=bob');
      assert.equal(same.status, 200);

      const conflict = await apply({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'ssa' }, spec: { replicas: 5 } }, 'fieldManager=carol');
      assert.equal(conflict.status, 409);
      assert.equal(conflict.body.reason, 'Conflict');
      assert.match(conflict.body.message, /^Apply failed with 2 conflicts: conflicts with "alice" using apps\/v1:|conflict with "alice" using apps\/v1: \.spec\.replicas/);
      assert.ok(conflict.body.details.causes.some((c: any) => c.reason === 'FieldManagerConflict' && c.field === '.spec.replicas'));

      const forced = await apply({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'ssa' }, spec: { replicas: 5 } }, 'fieldManager=carol&force=true');
      assert.equal(forced.status, 200);
      assert.equal(forced.body.spec.replicas, 5);
      const owners = forced.body.metadata.managedFields;
      assert.ok(owners.find((m: any) => m.manager === 'carol').fieldsV1['f:spec']['f:replicas']);
      assert.equal(owners.find((m: any) => m.manager === 'alice').fieldsV1['f:spec']['f:replicas'], undefined);
    });

    it('removes a field its manager no longer applies', async () => {
      const a = await apply(applied(5), 'fieldManager=alice');
      assert.equal(a.status, 200);
      assert.equal(a.body.metadata.labels.team, undefined, 'alice dropped the team label');
      assert.equal(a.body.metadata.labels.app, 'ssa');
    });

    it('an update (PUT) takes fields from the appliers without a conflict, and the next apply conflicts with it', async () => {
      const current = (await call(server, 'GET', path)).body;
      current.spec.replicas = 3;
      const put = await call(server, 'PUT', `${path}?fieldManager=kubectl-edit`, { body: current });
      assert.equal(put.status, 200);
      const edit = put.body.metadata.managedFields.find((m: any) => m.manager === 'kubectl-edit');
      assert.equal(edit.operation, 'Update');
      const again = await apply(applied(4), 'fieldManager=carol');
      assert.equal(again.status, 409);
      assert.match(again.body.message, /kubectl-edit/);
    });
  });

  describe('controller', () => {
    const waitFor = async <T>(what: string, get: () => Promise<T | undefined>, ms = 5000): Promise<T> => {
      for (const end = Date.now() + ms; Date.now() < end; ) {
        const v = await get();
        if (v !== undefined) return v;
        await new Promise((r) => setTimeout(r, 25));
      }
      return assert.fail(`timed out waiting for ${what}`);
    };

    it('runs a Deployment\'s pods on nodes its RuntimeClass selects, and reports it available', async () => {
      await call(server, 'POST', '/apis/apps/v1/namespaces/default/deployments', { body: fixtures.deployment('web', 'ghcr.io/example/web:1', { runtimeClassName: 'wasmtime-spin-v2', replicas: 2 }) });
      const d = await waitFor('available', async () => {
        const b = (await call(server, 'GET', '/apis/apps/v1/namespaces/default/deployments/web')).body;
        return b.status?.readyReplicas === 2 ? b : undefined;
      });
      assert.equal(d.status.conditions.find((c: any) => c.type === 'Available').status, 'True');
      const pods = (await call(server, 'GET', '/api/v1/namespaces/default/pods?labelSelector=app%3Dweb')).body.items;
      assert.equal(pods.length, 2);
      for (const p of pods) assert.equal(p.spec.nodeName, 'aks-wasipool-0', 'the only ready node with the spin label');
    });

    it('leaves pods of a failing image in ErrImagePull with Warning events', async () => {
      await call(server, 'POST', '/apis/apps/v1/namespaces/default/deployments', { body: fixtures.deployment('broken', 'ghcr.io/example/fail:1', { runtimeClassName: 'wasmtime-spin-v2' }) });
      const pod = await waitFor('image pull failure', async () => {
        const items = (await call(server, 'GET', '/api/v1/namespaces/default/pods?labelSelector=app%3Dbroken')).body.items;
        return items.find((p: any) => p.status?.containerStatuses?.[0]?.state?.waiting?.reason?.includes('ImagePull'));
      });
      const events = (await call(server, 'GET', `/api/v1/namespaces/default/events?fieldSelector=involvedObject.name%3D${pod.metadata.name}`)).body.items;
      assert.ok(events.some((e: any) => e.type === 'Warning' && e.reason === 'Failed' && /Failed to pull image/.test(e.message)));
    });

    it('refuses pods whose RuntimeClass does not exist (ReplicaFailure) and leaves unschedulable pods Pending', async () => {
      await call(server, 'POST', '/apis/apps/v1/namespaces/default/deployments', { body: fixtures.deployment('norc', 'ghcr.io/example/x:1', { runtimeClassName: 'missing-rc' }) });
      const d = await waitFor('replica failure', async () => {
        const b = (await call(server, 'GET', '/apis/apps/v1/namespaces/default/deployments/norc')).body;
        return b.status?.conditions?.find((c: any) => c.type === 'ReplicaFailure') ? b : undefined;
      });
      assert.match(d.status.conditions.find((c: any) => c.type === 'ReplicaFailure').message, /RuntimeClass "missing-rc" not found/);
      await call(server, 'POST', '/apis/apps/v1/namespaces/default/deployments', { body: fixtures.deployment('nowhere', 'ghcr.io/example/x:1', { nodeSelector: { 'no-such': 'label' } }) });
      const pod = await waitFor('unschedulable pod', async () => {
        const items = (await call(server, 'GET', '/api/v1/namespaces/default/pods?labelSelector=app%3Dnowhere')).body.items;
        return items.find((p: any) => p.status?.conditions?.some((c: any) => c.reason === 'Unschedulable'));
      });
      assert.equal(pod.status.phase, 'Pending');
      assert.match(pod.status.conditions.find((c: any) => c.type === 'PodScheduled').message, /didn't match Pod's node affinity\/selector/);
    });

    it('turns a SpinApp into a Deployment on its executor\'s RuntimeClass and mirrors readiness', async () => {
      await call(server, 'POST', '/apis/core.spinkube.dev/v1alpha1/namespaces/default/spinapps', { body: fixtures.spinApp('hello-spin', 'ghcr.io/spinkube/hello:1') });
      const app = await waitFor('SpinApp ready', async () => {
        const b = (await call(server, 'GET', '/apis/core.spinkube.dev/v1alpha1/namespaces/default/spinapps/hello-spin')).body;
        return b.status?.readyReplicas === 1 ? b : undefined;
      });
      assert.equal(app.status.conditions.find((c: any) => c.type === 'Available').status, 'True');
      const d = (await call(server, 'GET', '/apis/apps/v1/namespaces/default/deployments/hello-spin')).body;
      assert.equal(d.spec.template.spec.runtimeClassName, 'wasmtime-spin-v2');
      assert.equal(d.metadata.ownerReferences[0].kind, 'SpinApp');
      await call(server, 'DELETE', '/apis/core.spinkube.dev/v1alpha1/namespaces/default/spinapps/hello-spin');
      assert.equal((await call(server, 'GET', '/apis/apps/v1/namespaces/default/deployments/hello-spin')).status, 404);
    });
  });
});
