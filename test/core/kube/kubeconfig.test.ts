/** kubeconfig loading and context switching as kubectl does them, and clear errors for broken files. */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { KubeError, kubeconfigPrecedence, loadKubeconfig, switchContext } from '../../../src/core/kube';

const dir = mkdtempSync(join(tmpdir(), 'kubeconfig-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
  return path;
}

const first = `apiVersion: v1
kind: Config
# the team's clusters
clusters:
- name: prod
  cluster:
    server: https://prod.example:6443
    certificate-authority: certs/prod-ca.crt
- name: shared
  cluster:
    server: https://first.example:6443
users:
- name: alice
  user:
    token: first-token
contexts:
- name: prod
  context:
    cluster: prod
    user: alice
    namespace: apps
- name: shared
  context:
    cluster: shared
    user: alice
`;

const second = `apiVersion: v1
kind: Config
clusters:
- name: shared
  cluster:
    server: https://second.example:6443
- name: dev
  cluster:
    server: https://dev.example:6443
users:
- name: bob
  user:
    token: second-token
contexts:
- name: dev
  context:
    cluster: dev
    user: bob
- name: shared
  context:
    cluster: dev
    user: bob
current-context: dev
`;

describe('loadKubeconfig', () => {
  it('merges the KUBECONFIG files as kubectl does: the first to define a name wins, and the first current-context', async () => {
    const a = file('merge/a.yaml', first);
    const b = file('merge/b.yaml', second);
    const kc = await loadKubeconfig({ env: { KUBECONFIG: [a, join(dir, 'merge/missing.yaml'), b].join(delimiter) } });
    assert.deepEqual(kc.files, [a, b], 'a missing entry is skipped');
    assert.equal(kc.precedence.length, 3);
    assert.deepEqual(
      kc.contexts.map((c) => [c.name, c.cluster, c.user, c.file]),
      [
        ['prod', 'prod', 'alice', a],
        ['shared', 'shared', 'alice', a],
        ['dev', 'dev', 'bob', b],
      ],
    );
    assert.equal(kc.contexts.find((c) => c.name === 'shared')!.server, 'https://first.example:6443');
    assert.equal(kc.contexts.find((c) => c.name === 'prod')!.namespace, 'apps');
    assert.equal(kc.currentContext, 'dev', 'only the second file sets current-context');
    assert.equal(
      kc.kubeConfig.getCluster('prod')!.caFile,
      join(dir, 'merge/certs/prod-ca.crt'),
      'relative paths are relative to their file',
    );
  });

  it('reads ~/.kube/config without KUBECONFIG, and gives an empty configuration when there is none', async () => {
    const home = join(dir, 'home');
    file('home/.kube/config', second);
    const kc = await loadKubeconfig({ env: {}, homeDir: home });
    assert.deepEqual(kc.files, [join(home, '.kube/config')]);
    assert.equal(kc.currentContext, 'dev');
    const empty = await loadKubeconfig({ env: {}, homeDir: join(dir, 'nobody') });
    assert.deepEqual(empty.files, []);
    assert.deepEqual(empty.contexts, []);
    assert.equal(empty.currentContext, undefined);
  });

  it('an explicit path wins over KUBECONFIG and must exist', async () => {
    const b = file('explicit/b.yaml', second);
    const kc = await loadKubeconfig({ path: b, env: { KUBECONFIG: '/nonexistent' } });
    assert.equal(kc.explicit, true);
    assert.deepEqual(kc.files, [b]);
    await assert.rejects(
      loadKubeconfig({ path: join(dir, 'explicit/none.yaml') }),
      (e: unknown) => e instanceof KubeError && e.reason === 'config' && e.message.includes('none.yaml: kubeconfig file not found'),
    );
    assert.deepEqual(kubeconfigPrecedence({ path: `~/x${delimiter}/y`, homeDir: '/h' }).files, ['/h/x', '/y']);
  });

  it('names the file and the problem when a kubeconfig is broken', async () => {
    const cases: [string, string, RegExp][] = [
      ['yaml.yaml', 'clusters:\n- name: a\n  cluster: [unclosed\n', /yaml\.yaml: not valid YAML/],
      ['list.yaml', 'apiVersion: v1\nclusters: "nope"\n', /list\.yaml: "clusters" must be a list/],
      ['scalar.yaml', 'just a string\n', /scalar\.yaml: not a kubeconfig/],
      ['noserver.yaml', 'clusters:\n- name: a\n  cluster: {}\ncontexts: []\nusers: []\n', /noserver\.yaml: invalid kubeconfig: .*server/],
      ['noname.yaml', 'contexts:\n- context: {cluster: a, user: b}\n', /noname\.yaml: invalid kubeconfig: .*name/],
    ];
    for (const [name, text, re] of cases) {
      const path = file(`broken/${name}`, text);
      await assert.rejects(loadKubeconfig({ path }), (e: unknown) => {
        assert.ok(e instanceof KubeError, String(e));
        assert.equal(e.reason, 'config');
        assert.match(e.message, re);
        assert.ok(e.message.startsWith(path), e.message);
        return true;
      });
    }
  });

  it('treats an empty file as an empty configuration', async () => {
    const kc = await loadKubeconfig({ path: file('empty/config', '# nothing yet\n\n') });
    assert.deepEqual(kc.contexts, []);
  });
});

describe('switchContext', () => {
  it('writes current-context to the first file that sets one, changing only that line', async () => {
    const a = file('switch1/a.yaml', first);
    const b = file('switch1/b.yaml', second);
    const kc = await loadKubeconfig({ env: { KUBECONFIG: [a, b].join(delimiter) } });
    const written = await switchContext(kc, 'prod');
    assert.equal(written, b);
    assert.equal(readFileSync(b, 'utf8'), second.replace('current-context: dev', 'current-context: prod'));
    assert.equal(readFileSync(a, 'utf8'), first, 'the first file is untouched');
    assert.equal((await loadKubeconfig({ env: { KUBECONFIG: [a, b].join(delimiter) } })).currentContext, 'prod');
    assert.equal(kc.currentContext, 'prod');
  });

  it('with no current-context anywhere, writes it to the first existing file, keeping comments', async () => {
    const a = file('switch2/a.yaml', first);
    const b = file('switch2/b.yaml', second.replace('current-context: dev\n', ''));
    const kc = await loadKubeconfig({ env: { KUBECONFIG: [join(dir, 'switch2/none.yaml'), a, b].join(delimiter) } });
    assert.equal(kc.currentContext, undefined);
    assert.equal(await switchContext(kc, 'dev'), a);
    const text = readFileSync(a, 'utf8');
    assert.ok(text.startsWith(first), 'the rest of the file is kept as it was');
    assert.ok(text.endsWith('current-context: dev\n'));
  });

  it('quotes names YAML would misread, and edits JSON kubeconfigs as JSON', async () => {
    const json = file(
      'switch3/config.json',
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'c', cluster: { server: 'https://c.example' } }],
        users: [{ name: 'u', user: { token: 't' } }],
        contexts: [
          { name: 'true', context: { cluster: 'c', user: 'u' } },
          { name: 'arn:aws:eks:eu-west-1:1:cluster/x', context: { cluster: 'c', user: 'u' } },
        ],
        'current-context': 'arn:aws:eks:eu-west-1:1:cluster/x',
      }),
    );
    const kc = await loadKubeconfig({ path: json });
    await switchContext(kc, 'true');
    assert.equal(JSON.parse(readFileSync(json, 'utf8'))['current-context'], 'true');
    const yaml = file('switch3/config.yaml', second.replace('- name: dev\n  context:', '- name: "true"\n  context:'));
    const ky = await loadKubeconfig({ path: yaml });
    await switchContext(ky, 'true');
    assert.match(readFileSync(yaml, 'utf8'), /^current-context: "true"$/m);
    assert.equal((await loadKubeconfig({ path: yaml })).currentContext, 'true');
  });

  it('refuses a context that does not exist', async () => {
    const kc = await loadKubeconfig({ path: file('switch4/config', second) });
    await assert.rejects(switchContext(kc, 'nope'), /no context named "nope"/);
  });
});
