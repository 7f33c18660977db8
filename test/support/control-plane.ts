/**
 * A real Kubernetes control plane for the tests, on loopback, from the binary scripts/setup-tests.sh builds
 * (scripts/test-tools/control-plane: etcd, kube-apiserver, kube-controller-manager, kube-scheduler and kwok of pinned
 * releases in one executable). Each start gets its own temp dir, free ports, CA, users and etcd; `stop()` ends the
 * processes it started, by PID, and removes the dir (an exit hook does the same if a test forgets).
 *
 * Users (bearer tokens, or a client certificate for `expired`):
 * - `admin`: system:masters.
 * - `viewer`: may get, list and watch everything, change nothing (a deploy is forbidden).
 * - `team`: may edit namespace `team-a` only (cluster-wide lists are forbidden).
 * - `expired`: a client certificate from the cluster's CA whose validity ended yesterday (401).
 *
 * kwok plays the kubelets of nodes annotated `kwok.x-k8s.io/node: fake` (cluster-fixtures `node(…, { kubeletPort })`):
 * it moves their pods through the phases of test/support/kwok-stages.yaml and serves their logs (`setContainerOutput`)
 * to the API server. Other nodes are plain objects (a 5,000-node cluster).
 * The node lifecycle controller is off, so a node keeps the status it was created with.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeAuthority, rsaKeyPair } from './certs';
import { freePort } from './registry';
import { repositoryRoot, testToolPath } from './test-tools';

export type TestUser = 'admin' | 'viewer' | 'team' | 'expired';

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

export interface KubeconfigOptions {
  /** Context (and cluster) name. Default `test`. */
  contextName?: string;
  user?: TestUser;
  namespace?: string;
  /** Another server address (an unreachable or hung cluster) with this cluster's CA and user. */
  server?: string;
  current?: boolean;
}

export interface ControlPlane {
  /** `https://127.0.0.1:PORT` */
  url: string;
  caPem: string;
  /** kwok's kubelet endpoint: give it to `node(..., { kubeletPort })` (cluster-fixtures) for a node that runs pods. */
  kubeletPort: number;
  /**
   * What every container on a fake node printed, as kwok serves it for `kubectl logs` (CRI log lines written from
   * `lines`). kwok runs no program: this stands in for its output.
   */
  setContainerOutput(lines: readonly string[]): void;
  dir: string;
  /** Requests as `admin`, for seeding and checking the cluster (independent of the code under test). */
  admin: AdminClient;
  /** cluster, user and context entries (YAML list items) for composing kubeconfigs with several contexts. */
  kubeconfigEntries(options?: KubeconfigOptions): { cluster: string; user: string; context: string };
  kubeconfigYaml(options?: KubeconfigOptions): string;
  /** Writes a kubeconfig (mode 600) and returns its path. */
  writeKubeconfig(path: string, options?: KubeconfigOptions): string;
  /** The bearer token of a user (for exec credential plugins that hand it out). */
  token(user: Exclude<TestUser, 'expired'>): string;
  /** Creates many objects of one kind at once (POST, status included: the 5,000-node cluster). */
  createMany(objects: readonly KubeObject[], concurrency?: number): Promise<void>;
  /** Compacts etcd's history up to now: watches from an older resourceVersion then get 410 Gone. */
  compactEtcd(): Promise<void>;
  /** Stops (SIGSTOP) or resumes (SIGCONT) a component: a stopped API server accepts connections and never answers. */
  freeze(component: string, frozen: boolean): void;
  /** The last lines of a component's log (`etcd`, `apiserver`, `controller-manager`, `scheduler`, `kwok`). */
  log(component: string, lines?: number): string;
  stop(): Promise<void>;
}

export interface AdminClient {
  request<T = unknown>(method: string, path: string, body?: unknown, contentType?: string): Promise<T>;
  /** Creates or updates each object (server-side apply as `test-admin`, forced), status included for Nodes. */
  apply(objects: readonly KubeObject[]): Promise<void>;
  get<T = KubeObject>(apiVersion: string, kind: string, name: string, namespace?: string): Promise<T | undefined>;
  list<T = KubeObject>(apiVersion: string, kind: string, options?: { namespace?: string; labelSelector?: string }): Promise<T[]>;
  delete(apiVersion: string, kind: string, name: string, namespace?: string): Promise<void>;
  /** Polls until `check` returns a value (not undefined/false), or throws after `timeoutMs` with `what`. */
  waitFor<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs?: number): Promise<T>;
  /** The collection path of a kind (discovery, cached). */
  path(apiVersion: string, kind: string, namespace?: string): Promise<string>;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`HTTP ${status}: ${body.slice(0, 500)}`);
  }
}

const stagesFile = join(repositoryRoot, 'test', 'support', 'kwok-stages.yaml');
const running = new Set<ChildProcess>();
const killAll = () => {
  for (const child of running) child.kill('SIGKILL');
};
// The processes started here end with this process, also when a test runner stops it (SIGTERM, Ctrl-C).
process.on('exit', killAll);
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    killAll();
    process.exit(signal === 'SIGTERM' ? 143 : 130);
  });
}

function kubeconfigFor(server: string, caPem: string, auth: string, name = 'local'): string {
  return `apiVersion: v1\nkind: Config\nclusters:\n- name: ${name}\n  cluster:\n    server: ${server}\n    certificate-authority-data: ${Buffer.from(caPem).toString('base64')}\nusers:\n- name: ${name}\n  user:\n${auth}contexts:\n- name: ${name}\n  context:\n    cluster: ${name}\n    user: ${name}\ncurrent-context: ${name}\n`;
}

const b64 = (text: string) => Buffer.from(text).toString('base64');

/** Starts etcd, the API server, the controller manager, the scheduler and kwok; resolves when the cluster serves. */
export async function startControlPlane(options: { kwok?: boolean } = {}): Promise<ControlPlane> {
  const binary = testToolPath('control-plane', 'kube-control-plane');
  const dir = mkdtempSync(join(tmpdir(), 'wwb-control-plane-'));
  const authority = makeAuthority('wasm-workbench test cluster');
  const serving = authority.server('kube-apiserver');
  const kubelet = authority.server('kwok-kubelet');
  const serviceAccount = rsaKeyPair();
  const yesterday = Date.now() - 24 * 60 * 60 * 1000;
  const expired = authority.client('expired-user', [], {
    notBefore: new Date(yesterday - 24 * 60 * 60 * 1000),
    notAfter: new Date(yesterday),
  });
  const tokens: Record<Exclude<TestUser, 'expired'> | 'components', string> = {
    admin: randomBytes(24).toString('hex'),
    viewer: randomBytes(24).toString('hex'),
    team: randomBytes(24).toString('hex'),
    components: randomBytes(24).toString('hex'),
  };
  const files = {
    ca: join(dir, 'ca.crt'),
    cert: join(dir, 'apiserver.crt'),
    key: join(dir, 'apiserver.key'),
    kubeletCert: join(dir, 'kwok.crt'),
    kubeletKey: join(dir, 'kwok.key'),
    saKey: join(dir, 'sa.key'),
    saPub: join(dir, 'sa.pub'),
    tokens: join(dir, 'tokens.csv'),
    components: join(dir, 'components.kubeconfig'),
    kwokLogs: join(dir, 'kwok-logs.yaml'),
    containerOutput: join(dir, 'container-output.log'),
  };
  writeFileSync(files.ca, authority.caPem);
  writeFileSync(files.cert, serving.certPem);
  writeFileSync(files.key, serving.keyPem, { mode: 0o600 });
  writeFileSync(files.kubeletCert, kubelet.certPem);
  writeFileSync(files.kubeletKey, kubelet.keyPem, { mode: 0o600 });
  writeFileSync(files.saKey, serviceAccount.keyPem, { mode: 0o600 });
  writeFileSync(files.saPub, serviceAccount.publicPem);
  writeFileSync(
    files.tokens,
    [
      `${tokens.admin},test-admin,uid-admin,"system:masters"`,
      `${tokens.components},test-components,uid-components,"system:masters"`,
      `${tokens.viewer},viewer,uid-viewer`,
      `${tokens.team},team,uid-team`,
    ].join('\n') + '\n',
    { mode: 0o600 },
  );

  const [etcdClient, etcdPeer, apiPort, kwokPort] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
  const url = `https://127.0.0.1:${apiPort}`;
  writeFileSync(files.components, kubeconfigFor(url, authority.caPem, `    token: ${tokens.components}\n`), { mode: 0o600 });
  const setContainerOutput = (lines: readonly string[]) => {
    const at = new Date().toISOString().replace(/\.\d+Z$/, '.000000000Z');
    writeFileSync(files.containerOutput, lines.map((l) => `${at} stdout F ${l}\n`).join(''));
  };
  setContainerOutput([]);
  writeFileSync(
    files.kwokLogs,
    `apiVersion: kwok.x-k8s.io/v1alpha1\nkind: ClusterLogs\nmetadata:\n  name: container-output\nspec:\n  logs:\n  - logsFile: ${files.containerOutput}\n    follow: false\n`,
  );

  const children: { name: string; child: ChildProcess; logFile: string }[] = [];
  const start = (name: string, args: string[]) => {
    const logFile = join(dir, `${name}.log`);
    const fd = openSync(logFile, 'a');
    const child = spawn(binary, [name, ...args], { stdio: ['ignore', fd, fd], cwd: dir });
    closeSync(fd);
    running.add(child);
    child.on('exit', () => running.delete(child));
    children.push({ name, child, logFile });
    return child;
  };
  const log = (component: string, lines = 40) => {
    const entry = children.find((c) => c.name === component);
    if (!entry) return '';
    try {
      return readFileSync(entry.logFile, 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  };

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    // Reverse order: the clients of the API server first, etcd last.
    for (const { child } of [...children].reverse()) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      if (child.pid) process.kill(child.pid, 'SIGCONT');
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    start('etcd', [
      '--name=test',
      `--data-dir=${join(dir, 'etcd')}`,
      `--listen-client-urls=http://127.0.0.1:${etcdClient}`,
      `--advertise-client-urls=http://127.0.0.1:${etcdClient}`,
      `--listen-peer-urls=http://127.0.0.1:${etcdPeer}`,
      `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeer}`,
      `--initial-cluster=test=http://127.0.0.1:${etcdPeer}`,
      // Test data: no fsync (much faster on shared disks), nothing to keep.
      '--unsafe-no-fsync',
      '--log-level=warn',
    ]);
    start('apiserver', [
      `--etcd-servers=http://127.0.0.1:${etcdClient}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--secure-port=${apiPort}`,
      `--cert-dir=${join(dir, 'apiserver-certs')}`,
      `--tls-cert-file=${files.cert}`,
      `--tls-private-key-file=${files.key}`,
      `--client-ca-file=${files.ca}`,
      `--token-auth-file=${files.tokens}`,
      '--authorization-mode=RBAC',
      '--service-account-issuer=https://kubernetes.default.svc',
      `--service-account-key-file=${files.saPub}`,
      `--service-account-signing-key-file=${files.saKey}`,
      '--service-cluster-ip-range=10.96.0.0/16',
      // The `kubernetes` Service cannot point at a loopback address; nothing here needs it.
      '--endpoint-reconciler-type=none',
      // Pod logs: the API server asks the node's kubelet endpoint (kwok's server, see fakeNode).
      '--kubelet-preferred-address-types=InternalIP',
      '--profiling=false',
      '--enable-priority-and-fairness=false',
      // The node lifecycle controller is off (nodes keep the status a test gives them), so the admission that taints
      // every new node not-ready until that controller lifts it is off too.
      '--disable-admission-plugins=TaintNodesByCondition',
      // ConfigMaps are watched from etcd (no watch cache), so a test can compact etcd and see a watch expire (410).
      '--watch-cache-sizes=configmaps#0',
    ]);
    const admin = adminClient(url, authority.caPem, tokens.admin);
    await admin
      .waitFor(
        'the API server to be ready',
        async () => {
          try {
            return (await admin.request<string>('GET', '/readyz')) !== undefined;
          } catch {
            return false;
          }
        },
        90_000,
      )
      .catch((error: unknown) => {
        throw new Error(
          `${error instanceof Error ? error.message : String(error)}\n--- apiserver log:\n${log('apiserver')}\n--- etcd log:\n${log('etcd')}`,
        );
      });
    start('controller-manager', [
      `--kubeconfig=${files.components}`,
      '--leader-elect=false',
      '--secure-port=0',
      // What the tests need: rollouts, Jobs, namespaces, owner-reference cleanup, default service accounts, and the
      // aggregated `edit`/`view` roles.
      '--controllers=deployment-controller,replicaset-controller,job-controller,garbage-collector-controller,namespace-controller,serviceaccount-controller,endpointslice-controller,clusterrole-aggregation-controller',
      `--root-ca-file=${files.ca}`,
      `--service-account-private-key-file=${files.saKey}`,
      '--concurrent-deployment-syncs=2',
      '--concurrent-replicaset-syncs=2',
    ]);
    start('scheduler', [`--kubeconfig=${files.components}`, '--leader-elect=false', '--secure-port=0']);
    if (options.kwok ?? true) {
      start('kwok', [
        `--kubeconfig=${files.components}`,
        `--config=${stagesFile}`,
        `--config=${files.kwokLogs}`,
        '--manage-all-nodes=false',
        '--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake',
        '--node-ip=127.0.0.1',
        `--server-address=127.0.0.1:${kwokPort}`,
        `--tls-cert-file=${files.kubeletCert}`,
        `--tls-private-key-file=${files.kubeletKey}`,
      ]);
    }
    await seedAccess(admin);
    for (const namespace of ['default', 'team-a']) {
      await admin.waitFor(`service account ${namespace}/default`, () => admin.get('v1', 'ServiceAccount', 'default', namespace), 60_000);
    }

    const entries = (o: KubeconfigOptions = {}) => {
      const name = o.contextName ?? 'test';
      const user = o.user ?? 'admin';
      const userName = `${name}-${user}`;
      const auth =
        user === 'expired'
          ? `    client-certificate-data: ${b64(expired.certPem)}\n    client-key-data: ${b64(expired.keyPem)}\n`
          : `    token: ${tokens[user]}\n`;
      return {
        cluster: `- name: ${name}\n  cluster:\n    server: ${o.server ?? url}\n    certificate-authority-data: ${b64(authority.caPem)}\n`,
        user: `- name: ${userName}\n  user:\n${auth}`,
        context: `- name: ${name}\n  context:\n    cluster: ${name}\n    user: ${userName}\n${o.namespace ? `    namespace: ${o.namespace}\n` : ''}`,
      };
    };
    const kubeconfigYaml = (o: KubeconfigOptions = {}) => {
      const e = entries(o);
      return `apiVersion: v1\nkind: Config\nclusters:\n${e.cluster}users:\n${e.user}contexts:\n${e.context}${o.current === false ? '' : `current-context: ${o.contextName ?? 'test'}\n`}`;
    };
    const etcd = (path: string, body: unknown) =>
      new Promise<{ header?: { revision?: string } }>((resolve, reject) => {
        const payload = JSON.stringify(body);
        const req = httpRequest(
          {
            host: '127.0.0.1',
            port: etcdClient,
            path,
            method: 'POST',
            headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () =>
              res.statusCode === 200
                ? resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')))
                : reject(new Error(`etcd ${path}: HTTP ${res.statusCode}: ${Buffer.concat(chunks).toString('utf8')}`)),
            );
          },
        );
        req.on('error', reject);
        req.end(payload);
      });
    return {
      url,
      caPem: authority.caPem,
      kubeletPort: kwokPort,
      token: (user) => tokens[user],
      async createMany(objects, concurrency = 16) {
        let next = 0;
        const worker = async () => {
          while (next < objects.length) {
            const object = objects[next++]!;
            await admin.request('POST', await admin.path(object.apiVersion, object.kind, object.metadata.namespace), object);
          }
        };
        await Promise.all(Array.from({ length: concurrency }, worker));
      },
      async compactEtcd() {
        const { header } = await etcd('/v3/kv/range', { key: Buffer.from('/').toString('base64') });
        await etcd('/v3/kv/compaction', { revision: header?.revision, physical: true });
      },
      freeze(component, frozen) {
        const entry = children.find((c) => c.name === component);
        if (!entry?.child.pid) throw new Error(`no running ${component}`);
        process.kill(entry.child.pid, frozen ? 'SIGSTOP' : 'SIGCONT');
      },
      setContainerOutput,
      dir,
      admin,
      kubeconfigEntries: entries,
      kubeconfigYaml,
      writeKubeconfig(path, o = {}) {
        mkdirSync(join(path, '..'), { recursive: true });
        writeFileSync(path, kubeconfigYaml(o), { mode: 0o600 });
        return path;
      },
      log,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** RBAC for the `viewer` and `team` users, and the `team-a` namespace. */
async function seedAccess(admin: AdminClient): Promise<void> {
  await admin.apply([
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'wwb-test-viewer' },
      rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['get', 'list', 'watch'] }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'wwb-test-viewer' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'wwb-test-viewer' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'viewer' }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'team-edit', namespace: 'team-a' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'team' }],
    },
  ]);
}

/** A few raw requests as a user with every right: what tests need to seed and check the cluster. */
export function adminClient(url: string, caPem: string, token: string): AdminClient {
  const discovery = new Map<string, Promise<{ name: string; kind: string; namespaced: boolean }[]>>();

  const request = <T>(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = httpsRequest(
        new URL(path, url),
        {
          method,
          ca: caPem,
          headers: {
            Authorization: `Bearer ${token}`,
            Accept: 'application/json',
            ...(payload ? { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(payload) } : {}),
          },
          timeout: 30_000,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            if ((res.statusCode ?? 0) >= 300) return reject(new ApiError(res.statusCode ?? 0, text));
            try {
              resolve((text.startsWith('{') ? JSON.parse(text) : text) as T);
            } catch (error) {
              reject(error as SyntaxError);
            }
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer in 30 s`)));
      req.on('error', reject);
      if (payload) req.write(payload);
      req.end();
    });

  const groupVersion = (apiVersion: string) => (apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`);
  const path = async (apiVersion: string, kind: string, namespace?: string) => {
    const gv = groupVersion(apiVersion);
    let resources = discovery.get(gv);
    if (!resources) {
      resources = request<{ resources: { name: string; kind: string; namespaced: boolean }[] }>('GET', gv).then((r) => r.resources);
      discovery.set(gv, resources);
      resources.catch(() => discovery.delete(gv));
    }
    const found = (await resources).find((r) => r.kind === kind && !r.name.includes('/'));
    if (!found) throw new Error(`${apiVersion} ${kind} is not served`);
    return found.namespaced ? `${gv}/namespaces/${namespace ?? 'default'}/${found.name}` : `${gv}/${found.name}`;
  };

  const client: AdminClient = {
    request,
    path,
    async apply(objects) {
      for (const object of objects) {
        let collection: string;
        try {
          collection = await path(object.apiVersion, object.kind, object.metadata.namespace);
        } catch {
          // A kind from a CRD applied just before: its discovery shows up a moment later.
          discovery.clear();
          collection = await client.waitFor(
            `${object.apiVersion} ${object.kind} to be served`,
            () => path(object.apiVersion, object.kind, object.metadata.namespace).catch(() => (discovery.clear(), undefined)),
            30_000,
          );
        }
        const at = `${collection}/${encodeURIComponent(object.metadata.name)}?fieldManager=test-admin&force=true`;
        await request('PATCH', at, object, 'application/apply-patch+yaml');
        if (object.kind === 'Node' && object.status) {
          const at = `${collection}/${encodeURIComponent(object.metadata.name)}`;
          await request(
            'PATCH',
            `${at}/status?fieldManager=test-admin&force=true`,
            { apiVersion: 'v1', kind: 'Node', metadata: { name: object.metadata.name }, status: object.status },
            'application/apply-patch+yaml',
          );
        }
      }
    },
    async get<T>(apiVersion: string, kind: string, name: string, namespace?: string) {
      try {
        return await request<T>('GET', `${await path(apiVersion, kind, namespace)}/${encodeURIComponent(name)}`);
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) return undefined;
        throw error;
      }
    },
    async list<T>(apiVersion: string, kind: string, o: { namespace?: string; labelSelector?: string } = {}) {
      let collection = await path(apiVersion, kind, o.namespace);
      if (!o.namespace) collection = collection.replace(/\/namespaces\/default\//, '/');
      const query = o.labelSelector ? `?labelSelector=${encodeURIComponent(o.labelSelector)}` : '';
      return (await request<{ items: T[] }>('GET', collection + query)).items;
    },
    async delete(apiVersion, kind, name, namespace) {
      try {
        await request('DELETE', `${await path(apiVersion, kind, namespace)}/${encodeURIComponent(name)}`);
      } catch (error) {
        if (!(error instanceof ApiError && error.status === 404)) throw error;
      }
    },
    async waitFor(what, check, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const value = await check();
        if (value !== undefined && value !== false) return value as never;
        if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
  };
  return client;
}

/** A port where nothing listens (an unreachable cluster). */
export async function closedPort(): Promise<number> {
  return freePort();
}

/** A TCP listener that accepts connections and never answers (a hung API server); `close()` ends it. */
export async function hungListener(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: NetServer = createNetServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
