/** `wasm-workbench deploy FILE` and `wasm-workbench undeploy NAME`: thin fronts on src/core/deploy. */
import { parseCapabilityList, type CapabilityId } from '../core/capabilities';
import {
  deploy as runDeploy,
  DeployError,
  ociForms,
  parseNodeSelector,
  parseTaint,
  undeploy as runUndeploy,
  type DeployEvent,
  type DeployRequest,
  type DeployResult,
  type OciForm,
} from '../core/deploy';
import { CliError, ExitCode } from './errors';
import { parse, printHelp, singleFile, type Command } from './options';
import { errorMessage } from '../core/errors';

/** Progress goes to stderr, one line per event, so stdout holds only the result (or the YAML of a dry-run). */
function progressPrinter(err: NodeJS.WritableStream, quiet: boolean): (e: DeployEvent) => void {
  return (e) => {
    if (quiet) return;
    err.write(`[${e.step}] ${e.message}\n`);
  };
}

/** A deploy's failure with the events, pod states and logs that explain it (the editor shows them on request). */
function toCliError(error: unknown): unknown {
  if (!(error instanceof DeployError) || !error.details) return error;
  return new CliError(`${error.message}\n${error.details}`, error.kind, { cause: error });
}

function wholeNumber(value: unknown, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const text = String(value);
  if (!/^\d+$/.test(text)) throw new CliError(`${flag} expects a whole number, got ${JSON.stringify(text)}`);
  return Number(text);
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : value === undefined ? [] : [String(value)];
}

function formatResult(result: DeployResult, context: string): string {
  const lines: string[] = [];
  const where = `${context ? `${context}/` : ''}${result.namespace}`;
  lines.push(`Deployed ${result.name} to ${where}`);
  lines.push(`  binary:   ${result.binary.hostTitle}`);
  lines.push(`  image:    ${result.image} (${result.form} form)`);
  lines.push(`  digest:   ${result.digest}`);
  const t = result.target;
  lines.push(
    `  runtime:  RuntimeClass ${t.runtime.runtimeClassName} (${t.shim.label})${t.pool?.name ? `, pool ${t.pool.name}` : ''}${t.spinApp ? `, SpinApp executor ${t.spinApp.executor}` : ''}`,
  );
  lines.push(
    `  applied:  ${result.applied.map((a) => `${a.kind} ${a.name} (${a.result}${a.generation !== undefined ? `, generation ${a.generation}` : ''})`).join(', ')}`,
  );
  const runOnce = result.workload === 'Job' || result.workload === 'Pod';
  const r = result.rollout;
  lines.push(
    `  ${runOnce ? 'run:    ' : 'rollout:'}  ${r ? (runOnce ? r.message : `${r.ready ? 'ready' : 'not ready'}, ${r.message}`) : 'not waited for (--no-wait)'}`,
  );
  if (r?.logs !== undefined)
    lines.push(
      `  output (last lines of its log):`,
      ...(r.logs.trim()
        ? r.logs
            .replace(/\n$/, '')
            .split('\n')
            .map((l) => `    ${l}`)
        : ['    (empty)']),
    );
  for (const note of result.notes) lines.push(`  note: ${note}`);
  return `${lines.join('\n')}\n`;
}

export const deploy: Command = {
  summary: 'Push a Wasm binary and run it on a Wasm-capable node pool of a Kubernetes cluster (or print the manifests)',
  usage:
    'wasm-workbench deploy FILE --context C --image REG/REPO:TAG [--runtime-class R] [--pool P|KEY=VALUE] [--workload job|pod] [--replicas N] [--port N] [--spin] [--dry-run] [--namespace NS] [--form F] [--insecure]',
  help: `Packages FILE in the OCI form the chosen runtime pulls and pushes it, then applies, on that Wasm RuntimeClass and
pinned to the pool's nodes that have its shim (tolerating the pool's taints):
  - a program that runs and exits (a WASI command, a wasi:cli/run component): a Job, or a Pod with --workload pod;
    deploy waits for it to finish and prints its exit code and output;
  - a server (a wasi:http component): a Deployment and a Service; deploy waits until it is available;
  - with --spin, a SpinApp for SpinKube.
All by server-side apply (field manager wasm-workbench: a redeploy changes nothing that did not change; a Job whose
binary changed is run again). A target that cannot run the binary (a component on a shim that only takes core
modules, an HTTP component without Spin or wasmtime v0.5+, a command on Spin, a pool whose nodes lack the shim) is
refused with the reason.

Options:
  --context C              kubeconfig context (default: the current context)
  --kubeconfig PATH        kubeconfig file(s) instead of KUBECONFIG / ~/.kube/config
  --image REG/REPO:TAG     where to push; the pods pull it by digest
  --runtime-class R        the Wasm RuntimeClass (default: the first one that can run the binary)
  --pool P | KEY=VALUE     a node pool by name, or a node selector used as it is
  --node-selector K=V,...  more node labels to select (over the pool's)
  --toleration K[=V]:EFFECT  also tolerate this taint (repeatable)
  --spin                   deploy a SpinApp (SpinKube) instead of a Deployment
  --executor NAME          the SpinAppExecutor (default containerd-shim-spin)
  --name NAME              the app's name (default: from FILE)
  --namespace NS           the namespace (default: the context's, else default)
  --workload job|pod       how a program that runs and exits is run (default job)
  --replicas N             pods to run, for a server (default 1)
  --port N                 the port the app serves on; also makes a Service
  --cpu Q, --memory Q      limits (default: memory 128Mi; requests 10m CPU, 32Mi)
  --form F                 OCI form: runwasi, image or spin (default: the one the runtime pulls; image when the
                           pool's containerd is too old for Wasm layers)
  --insecure               allow plain http to a registry that is not on loopback
  --dry-run                print the manifests as YAML; push nothing, change nothing. Offline when
                           --runtime-class and --pool KEY=VALUE (or --node-selector), or --spin, are given
  --force-conflicts        take over fields another field manager owns
  --no-wait                do not wait for the rollout
  --timeout S              rollout time limit in seconds (default 120)
  --deny ID,ID             refuse a binary that needs any of these capabilities (exit 3)
  --json                   print the result as JSON
  -q, --quiet              no progress lines on stderr
  -h, --help               show this help

Progress goes to stderr; the result (or the YAML of --dry-run) to stdout.
Exit codes: 0 deployed and ready (a server) or run with exit code 0 (a program); 1 push, apply, rollout or the
program failed (with its exit code, pod events and logs); 2 bad input or a refused target; 3 refused by --deny.`,
  async run(argv, out) {
    const { values, positionals } = parse(
      argv,
      {
        context: { type: 'string' },
        kubeconfig: { type: 'string' },
        image: { type: 'string' },
        'runtime-class': { type: 'string' },
        pool: { type: 'string' },
        'node-selector': { type: 'string', multiple: true },
        toleration: { type: 'string', multiple: true },
        spin: { type: 'boolean' },
        executor: { type: 'string' },
        name: { type: 'string' },
        namespace: { type: 'string', short: 'n' },
        replicas: { type: 'string' },
        workload: { type: 'string' },
        port: { type: 'string' },
        cpu: { type: 'string' },
        memory: { type: 'string' },
        form: { type: 'string' },
        insecure: { type: 'boolean' },
        'dry-run': { type: 'boolean' },
        'force-conflicts': { type: 'boolean' },
        'no-wait': { type: 'boolean' },
        timeout: { type: 'string' },
        deny: { type: 'string', multiple: true },
        json: { type: 'boolean' },
        quiet: { type: 'boolean', short: 'q' },
      },
      this.usage,
    );
    if (values.help) return printHelp(this, out);
    const file = singleFile(positionals, this.usage);
    if (!values.image) throw new CliError(`--image REG/REPO:TAG is required (where the binary is pushed)\nusage: ${this.usage}`);
    const form = values.form === undefined ? undefined : String(values.form);
    if (form !== undefined && !(ociForms as readonly string[]).includes(form))
      throw new CliError(`--form must be one of ${ociForms.join(', ')}, got ${JSON.stringify(form)}`);
    let deny: CapabilityId[] = [];
    try {
      deny = strings(values.deny).flatMap(parseCapabilityList);
    } catch (error) {
      throw new CliError(errorMessage(error), 'input', { cause: error });
    }
    const timeout = wholeNumber(values.timeout, '--timeout');
    const replicas = wholeNumber(values.replicas, '--replicas');
    const port = wholeNumber(values.port, '--port');

    const request: DeployRequest = {
      file,
      image: String(values.image),
      dryRun: Boolean(values['dry-run']),
      force: Boolean(values['force-conflicts']),
      wait: !values['no-wait'],
      spin: Boolean(values.spin),
      insecure: Boolean(values.insecure),
      deny,
      onProgress: progressPrinter(process.stderr, Boolean(values.quiet)),
    };
    if (values.context !== undefined) request.context = String(values.context);
    if (values.kubeconfig !== undefined) request.kubeconfig = { path: String(values.kubeconfig) };
    if (values['runtime-class'] !== undefined) request.runtimeClass = String(values['runtime-class']);
    if (values.pool !== undefined) request.pool = String(values.pool);
    if (values.executor !== undefined) request.executor = String(values.executor);
    if (values.name !== undefined) request.name = String(values.name);
    if (values.namespace !== undefined) request.namespace = String(values.namespace);
    if (replicas !== undefined) request.replicas = replicas;
    if (port !== undefined) request.port = port;
    if (form !== undefined) request.form = form as OciForm;
    if (values.workload !== undefined) {
      const workload = String(values.workload);
      if (workload !== 'job' && workload !== 'pod') throw new CliError(`--workload must be job or pod, got ${JSON.stringify(workload)}`);
      request.workload = workload;
    }
    if (timeout !== undefined) request.rolloutTimeoutMs = timeout * 1000;
    if (values.cpu !== undefined || values.memory !== undefined) {
      request.resources = {
        limits: {
          ...(values.cpu !== undefined ? { cpu: String(values.cpu) } : {}),
          ...(values.memory !== undefined ? { memory: String(values.memory) } : {}),
        },
      };
    }
    try {
      const selector = parseNodeSelector(strings(values['node-selector']));
      if (Object.keys(selector).length) request.nodeSelector = selector;
      const tolerations = strings(values.toleration).map(parseTaint);
      if (tolerations.length) request.tolerations = tolerations;
    } catch (error) {
      throw toCliError(error);
    }
    if (!request.dryRun && request.context === undefined && request.kubeconfig === undefined && !process.env.KUBECONFIG) {
      // The current context of ~/.kube/config is used; say so, since a deploy changes a cluster.
      process.stderr.write('[resolve] no --context given: using the current context of the kubeconfig\n');
    }

    let result: DeployResult;
    try {
      result = await runDeploy(request);
    } catch (error) {
      throw toCliError(error);
    }
    if (values.json) {
      const { binary, target, notes, applied, rollout, digest, image, name, namespace, form: f, dryRun, manifests, timings } = result;
      out.write(
        `${JSON.stringify({ name, namespace, dryRun, image, digest, form: f, binary, target: { runtimeClassName: target.runtime.runtimeClassName, shim: target.shim.shim, workload: result.workload, pool: target.pool, spinApp: target.spinApp }, applied, rollout, notes, timings, manifests }, null, 2)}\n`,
      );
    } else if (result.dryRun) {
      out.write(result.yaml);
    } else {
      out.write(formatResult(result, request.context ?? ''));
    }
    return ExitCode.ok;
  },
};

export const undeploy: Command = {
  summary: 'Delete what wasm-workbench deploy created for an app (its Job, Pod, Deployment, Service or SpinApp)',
  usage: 'wasm-workbench undeploy NAME --context C [--namespace NS]',
  help: `Deletes the Job, Pod, Deployment, Service and SpinApp labelled app.kubernetes.io/name=NAME and
app.kubernetes.io/managed-by=wasm-workbench in the namespace; nothing else. Undeploying what is not there is not
an error (it says so).

Options:
  --context C          kubeconfig context (default: the current context)
  --kubeconfig PATH    kubeconfig file(s) instead of KUBECONFIG / ~/.kube/config
  --namespace NS       the namespace (default: the context's, else default)
  -q, --quiet          no progress lines on stderr
  -h, --help           show this help

Exit codes: 0 deleted (or nothing to delete); 1 the cluster refused or failed; 2 bad input.`,
  async run(argv, out) {
    const { values, positionals } = parse(
      argv,
      {
        context: { type: 'string' },
        kubeconfig: { type: 'string' },
        namespace: { type: 'string', short: 'n' },
        quiet: { type: 'boolean', short: 'q' },
      },
      this.usage,
    );
    if (values.help) return printHelp(this, out);
    if (positionals.length !== 1) throw new CliError(`expected one NAME, got ${positionals.length}\nusage: ${this.usage}`);
    try {
      const result = await runUndeploy({
        name: positionals[0]!,
        ...(values.context !== undefined ? { context: String(values.context) } : {}),
        ...(values.kubeconfig !== undefined ? { kubeconfig: { path: String(values.kubeconfig) } } : {}),
        ...(values.namespace !== undefined ? { namespace: String(values.namespace) } : {}),
        onProgress: progressPrinter(process.stderr, Boolean(values.quiet)),
      });
      out.write(
        result.deleted.length
          ? `Deleted ${result.deleted.map((d) => `${d.kind} ${d.name}`).join(', ')} from ${result.namespace}\n`
          : `Nothing to undeploy: nothing labelled app.kubernetes.io/name=${result.name} (managed by wasm-workbench) in ${result.namespace}\n`,
      );
      return ExitCode.ok;
    } catch (error) {
      throw toCliError(error);
    }
  },
};
