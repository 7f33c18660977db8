/** The YAML writer: what it writes parses back (YAML 1.2 and 1.1 readers) to the same JSON, tricky strings included. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse, parseAllDocuments } from 'yaml';
import { buildManifests, shimTraits, toYaml, toYamlDocuments, type BinaryProfile } from '../../../src/core/deploy';

const tricky = [
  '',
  ' ',
  ' lead',
  'trail ',
  'true',
  'True',
  'FALSE',
  'yes',
  'No',
  'on',
  'OFF',
  'y',
  'n',
  'null',
  'Null',
  '~',
  '0',
  '007',
  '-1',
  '+1',
  '1e3',
  '.5',
  '0x1F',
  '0o17',
  '1:20',
  '1_000',
  '.inf',
  '-.Inf',
  '.NaN',
  'a: b',
  'a:',
  ':a',
  'a #b',
  '#x',
  '- x',
  '-x',
  '? x',
  '[x]',
  '{x}',
  '*ref',
  '&anchor',
  '!tag',
  '|',
  '>',
  '%x',
  '@x',
  '`x`',
  "'s'",
  '"q"',
  'x,y',
  'multi\nline',
  'tab\there',
  'cr\rhere',
  'nul\u0000x',
  'bell\u0007',
  'nel\u0085x',
  'ls\u2028x',
  'ps\u2029x',
  'bom\ufeffx',
  'é',
  '日本',
  '🦀',
  'back\\slash',
  '<<',
  '=',
  '---',
  '...',
  '127.0.0.1:5000/app@sha256:abc',
  'kubernetes.io/arch',
  'io.containerd.spin.v2',
  'app.kubernetes.io/managed-by',
  '0.0.0.0:80',
  '10m',
  '128Mi',
];

describe('toYaml', () => {
  it('writes every tricky string so that it reads back as the same string (YAML 1.2 and 1.1)', () => {
    for (const s of tricky) {
      const doc = { [s]: s, list: [s, [s], { k: s }] };
      const text = toYaml(doc);
      assert.deepEqual(parse(text), doc, `1.2: ${JSON.stringify(s)} as\n${text}`);
      assert.deepEqual(parse(text, { version: '1.1' }), doc, `1.1: ${JSON.stringify(s)} as\n${text}`);
    }
  });

  it('writes numbers, booleans, null, empty collections and nested sequences', () => {
    const doc = {
      n: 0,
      neg: -3,
      f: 1.5,
      big: 2 ** 40,
      t: true,
      f2: false,
      z: null,
      ea: [],
      eo: {},
      nested: [[1, [2, []]], [{}], [{ a: [{ b: 1 }] }]],
      objs: [{ a: 1, b: { c: [1, 2] } }, { d: 'x' }],
    };
    const text = toYaml(doc);
    assert.deepEqual(parse(text), doc);
    assert.deepEqual(parse(text, { version: '1.1' }), doc);
  });

  it('refuses what JSON cannot hold', () => {
    assert.throws(() => toYaml({ x: Number.NaN }), /cannot write NaN/);
    assert.throws(() => toYaml(undefined), /undefined/);
  });

  it('writes plain scalars where they are safe (readable output)', () => {
    assert.equal(
      toYaml({ kind: 'Deployment', 'app.kubernetes.io/name': 'hello', image: 'r.io/a/b@sha256:00' }),
      'kind: Deployment\napp.kubernetes.io/name: hello\nimage: r.io/a/b@sha256:00\n',
    );
  });
});

describe('dry-run YAML of manifests', () => {
  it('parses back to the manifests, document by document, with the comments ignored', () => {
    const binary: BinaryProfile = {
      kind: 'component',
      hostKind: 'wasi-http-proxy',
      hostTitle: 'WASI 0.2 component (HTTP proxy world)',
      unknownImports: [],
      spin: false,
      http: true,
      capabilities: [],
    };
    const manifests = buildManifests({
      workload: 'Deployment',
      name: 'hello',
      namespace: 'default',
      image: `127.0.0.1:5000/hello@sha256:${'0'.repeat(64)}`,
      imageTag: '127.0.0.1:5000/hello:v1',
      runtimeClassName: 'wasmtime',
      shim: shimTraits('wasmtime'),
      binary,
      replicas: 1,
      port: 8080,
      nodeSelector: { 'kubernetes.azure.com/agentpool': 'wasm' },
      taints: [{ key: 'sku', value: 'wasm', effect: 'NoSchedule' }],
    });
    const text = toYamlDocuments(
      manifests.map((value, i) => ({ value, ...(i === 0 ? { comments: ['a comment: with # and\nnewline'] } : {}) })),
    );
    const docs = parseAllDocuments(text);
    assert.equal(docs.length, 2);
    for (const d of docs) assert.deepEqual(d.errors, []);
    assert.deepEqual(
      docs.map((d) => d.toJSON()),
      manifests,
    );
    assert.match(text, /^---\n# a comment: with # and newline\napiVersion: apps\/v1\n/);
  });
});
