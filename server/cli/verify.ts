/**
 * `opex verify`: proves the spec's success criteria against a live cluster and prints the chapter's
 * verification table (or JSON, JUnit XML, Markdown). Progress goes to standard error (on a terminal, or with
 * --progress) so standard output carries only the report. Ctrl-C cancels: disruptive checks clean up first.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { discoverFiles, specsAbove } from '../engine/discover';
import { parseHumanDuration } from '../engine/duration';
import { SpecSet } from '../engine/spec/specs';
import type { LoadedSpec } from '../engine/spec/types';
import { SC_IDS, type CriterionId } from '../engine/types';
import { LiveError } from '../live/errors';
import { formatReport, REPORT_FORMATS, type ReportFormat } from '../live/report';
import { exitCodeOf, runChecks } from '../live/run';
import { resolveSettings } from '../live/settings';
import type { LiveSettingsInput, ProgressEvent } from '../live/types';
import { relPath } from './formats';
import type { CliIO } from './io';
import { writeFileAtomic } from './io';
import { describeFsError, loadWorkspace, readTextFile, UsageError } from './workspace';

export const VERIFY_USAGE = `Usage: opex verify [options]

Checks the spec's success criteria SC-001…SC-010 against a live cluster and prints
a verification table: criterion, target, actual, status (PASS, FAIL, SKIP, ERROR).
Read-only checks run by default; SC-007 (restore into a scratch namespace) and
SC-008 (kill one pod in a chaos namespace) change the cluster and run only with
--allow-disruptive. The cluster comes from KUBECONFIG or ~/.kube/config.

Options:
  --spec FILE            the spec (default: opex.yaml or *-opex-spec.md in this folder
                         or above, or the only one below it)
  --kubeconfig FILE      the kubeconfig to use instead of KUBECONFIG/~/.kube/config
  --context NAME         a kubeconfig context (default: its current context)
  --only IDS             only these criteria, e.g. --only SC-001,SC-004
  --allow-disruptive     also run SC-007 and SC-008, which change the cluster
  --format FORMAT        text (default), json, junit, markdown
  --output FILE          write the report to FILE instead of standard output
  --timeout DURATION     time limit of each API request (default 15s)
  --progress             show progress on standard error even when it is no terminal
  --no-progress          never show progress
  --verbose              details of passing checks too
  -h, --help             show this help

Exit status: 0 every check passed or was skipped, 1 a check failed or errored,
2 bad usage, an unreadable spec or no usable kubeconfig/context.`;

/** `opex verify`'s options, parsed. */
export interface VerifyArgs {
  spec?: string;
  kubeconfig?: string;
  context?: string;
  only?: CriterionId[];
  allowDisruptive?: boolean;
  format?: ReportFormat;
  output?: string;
  /** Request timeout in milliseconds. */
  timeoutMs?: number;
  /** true/false forces progress on/off; undefined: on a terminal only. */
  progress?: boolean;
  verbose?: boolean;
}

export type VerifyIO = CliIO & {
  /** Cancels the run (the LSP or a test); without it, SIGINT/SIGTERM cancel it. */
  signal?: AbortSignal;
  /** Extra settings over the spec's `live:` section (tests). */
  settings?: LiveSettingsInput;
};

export function parseVerifyArgs(argv: string[]): VerifyArgs & { help?: boolean } {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      spec: { type: 'string' },
      kubeconfig: { type: 'string' },
      context: { type: 'string' },
      only: { type: 'string', multiple: true },
      'allow-disruptive': { type: 'boolean', default: false },
      format: { type: 'string', short: 'f', default: 'text' },
      output: { type: 'string', short: 'o' },
      timeout: { type: 'string' },
      progress: { type: 'boolean' },
      'no-progress': { type: 'boolean' },
      verbose: { type: 'boolean', short: 'v', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]} (opex verify takes options only; see --help)`);
  const format = values.format as ReportFormat;
  if (!(REPORT_FORMATS as readonly string[]).includes(format)) throw new UsageError(`unknown --format ${values.format}: use one of ${REPORT_FORMATS.join(', ')}`);
  let only: CriterionId[] | undefined;
  if (values.only) {
    only = [];
    for (const raw of values.only.flatMap((v) => v.split(',')).map((v) => v.trim().toUpperCase()).filter(Boolean)) {
      const id = /^SC-?(\d{1,3})$/.exec(raw);
      const norm = id ? `SC-${id[1].padStart(3, '0')}` : raw;
      if (!(SC_IDS as readonly string[]).includes(norm)) throw new UsageError(`--only ${raw}: not a success criterion (SC-001 … SC-010)`);
      if (!only.includes(norm as CriterionId)) only.push(norm as CriterionId);
    }
    if (only.length === 0) throw new UsageError('--only needs criteria, e.g. --only SC-001,SC-004');
  }
  let timeoutMs: number | undefined;
  if (values.timeout !== undefined) {
    const s = parseHumanDuration(values.timeout);
    if (s === undefined || s <= 0) throw new UsageError(`--timeout ${values.timeout}: give a duration such as 10s or 1m`);
    timeoutMs = s * 1000;
  }
  if (values.progress && values['no-progress']) throw new UsageError('--progress and --no-progress contradict each other');
  return {
    help: values.help,
    spec: values.spec,
    kubeconfig: values.kubeconfig,
    context: values.context,
    only,
    allowDisruptive: values['allow-disruptive'],
    format,
    output: values.output,
    timeoutMs,
    progress: values.progress ? true : values['no-progress'] ? false : undefined,
    verbose: values.verbose,
  };
}

export async function verifyCommand(argv: string[] | VerifyArgs, io: VerifyIO): Promise<number> {
  let args: VerifyArgs;
  if (Array.isArray(argv)) {
    const parsed = parseVerifyArgs(argv);
    if (parsed.help) {
      io.stdout(`${VERIFY_USAGE}\n`);
      return 0;
    }
    args = parsed;
  } else {
    args = argv;
  }
  return runVerify(args, io);
}

function findSpec(cwd: string): string {
  const above = specsAbove(path.join(cwd, '.opex-probe'));
  if (above.length > 0) {
    const dir = path.dirname(above[0]);
    const here = above.filter((f) => path.dirname(f) === dir);
    const yaml = here.filter((f) => /\.ya?ml$/i.test(f));
    if (here.length === 1) return here[0];
    if (yaml.length === 1) return yaml[0];
    throw new UsageError(`${here.length} specs in ${relPath(cwd, dir) || '.'} (${here.map((f) => path.basename(f)).join(', ')}); choose one with --spec`);
  }
  const below = discoverFiles(cwd, { maxFiles: 50_000 }).specs;
  if (below.length === 1) return below[0];
  if (below.length === 0) throw new UsageError('no opex spec (opex.yaml or *-opex-spec.md) in this folder, above it or below it; give one with --spec');
  throw new UsageError(`several specs below this folder; choose one with --spec:\n${below.map((f) => `  ${relPath(cwd, f)}`).join('\n')}`);
}

function readSpec(file: string, spoken: string): LoadedSpec {
  let text: string;
  try {
    if (fs.statSync(file).isDirectory()) throw new UsageError(`--spec ${spoken} is a folder; give the spec file (opex.yaml or *-opex-spec.md)`);
    text = readTextFile(file);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`cannot read spec ${spoken}: ${describeFsError(err)}`);
  }
  return new SpecSet().force(file, text);
}

/** The PodChaos of the spec's folder that kills the service's pods in a chaos namespace (podKill.method: podchaos). */
function findPodChaos(spec: LoadedSpec, chaosNamespace: string | undefined): Record<string, unknown> | undefined {
  let ws;
  try {
    ws = loadWorkspace([path.dirname(spec.file)]);
  } catch {
    return undefined;
  }
  const app = spec.spec.costLabels.app ?? spec.spec.service;
  const ns = chaosNamespace ?? spec.spec.constraints.chaosNamespaces[0];
  const candidates = ws.index.byKind('PodChaos').map((r) => r.value as any).filter((v) => v?.spec?.action === 'pod-kill');
  return (
    candidates.find((v) => (v.spec?.selector?.namespaces ?? [v.metadata?.namespace]).includes(ns) && v.spec?.selector?.labelSelectors?.app === app) ??
    candidates.find((v) => (v.spec?.selector?.namespaces ?? [v.metadata?.namespace]).includes(ns))
  );
}

class Progress {
  private transient = false;
  private readonly started = new Map<string, number>();

  constructor(
    private readonly io: CliIO,
    private readonly live: boolean,
    private readonly verbose: boolean,
  ) {}

  private clear(): void {
    if (this.transient) this.io.stderr('\r\u001b[K');
    this.transient = false;
  }

  private line(text: string): void {
    this.clear();
    this.io.stderr(`${text}\n`);
  }

  private status(text: string): void {
    if (!this.live) return;
    this.clear();
    this.io.stderr(text.length > 110 ? `${text.slice(0, 109)}…` : text);
    this.transient = true;
  }

  on(e: ProgressEvent): void {
    switch (e.kind) {
      case 'begin':
        this.line(`opex verify: ${e.total} criteria against context ${e.context} (${e.server})`);
        break;
      case 'check-start':
        this.started.set(e.id, Date.now());
        this.status(`[${e.index + 1}/${e.total}] ${e.id} ${e.title}…`);
        break;
      case 'check-step':
        if (this.live) this.status(`  ${e.id}: ${e.message}`);
        else if (this.verbose) this.line(`  ${e.id}: ${e.message}`);
        break;
      case 'check-end': {
        const r = e.result;
        const what = r.status === 'PASS' || r.status === 'FAIL' ? r.actual : r.reason ?? '';
        this.line(`[${e.index + 1}/${e.total}] ${r.id} ${r.status.padEnd(5)} ${r.title}${what ? `: ${what}` : ''} (${(r.durationMs / 1000).toFixed(1)} s)`);
        break;
      }
      case 'end':
        this.clear();
        break;
    }
  }
}

export async function runVerify(args: VerifyArgs, io: VerifyIO): Promise<number> {
  const specFile = args.spec ? path.resolve(io.cwd, args.spec) : findSpec(io.cwd);
  const loaded = readSpec(specFile, args.spec ?? relPath(io.cwd, specFile));
  const specErrors = loaded.diagnostics.filter((d) => d.severity === 'error');
  for (const d of specErrors) {
    io.stderr(`opex verify: warning: ${relPath(io.cwd, d.file)}:${d.range.start.line + 1}:${d.range.start.character + 1} ${d.message}\n`);
  }
  const overrides: LiveSettingsInput = { ...(io.settings ?? {}) };
  if (args.timeoutMs !== undefined) overrides.timeouts = { ...(overrides.timeouts ?? {}), requestMs: args.timeoutMs };
  const { settings, problems } = resolveSettings(loaded, overrides);
  for (const p of problems) io.stderr(`opex verify: warning: ${relPath(io.cwd, loaded.file)}: ${p}\n`);
  const podChaos = args.allowDisruptive && settings.podKill.method === 'podchaos' ? findPodChaos(loaded, settings.chaosNamespace) : undefined;

  const showProgress = args.progress ?? io.interactive;
  const progress = showProgress ? new Progress(io, io.interactive, !!args.verbose) : undefined;

  const controller = new AbortController();
  const signal = io.signal ? AbortSignal.any([io.signal, controller.signal]) : controller.signal;
  let interrupts = 0;
  const onSignal = () => {
    interrupts++;
    if (interrupts === 1) {
      io.stderr('\nopex verify: cancelling; cleaning up what the checks created (Ctrl-C again to quit at once)\n');
      controller.abort();
    } else {
      process.exit(130);
    }
  };
  const handleSignals = !io.signal;
  if (handleSignals) {
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
  try {
    const report = await runChecks(
      { spec: loaded, kubeconfig: args.kubeconfig ? path.resolve(io.cwd, args.kubeconfig) : undefined, context: args.context, only: args.only, allowDisruptive: args.allowDisruptive, settings: overrides, podChaos },
      { signal, onProgress: progress ? (e) => progress.on(e) : undefined },
    );
    const format = args.format ?? 'text';
    const text = formatReport(report, format, { verbose: args.verbose, color: format === 'text' && !args.output && io.color });
    if (args.output) {
      const out = path.resolve(io.cwd, args.output);
      try {
        writeFileAtomic(out, text);
      } catch (err) {
        throw new UsageError(`cannot write ${args.output}: ${describeFsError(err)}`);
      }
      if (showProgress) io.stderr(`opex verify: report written to ${relPath(io.cwd, out)}\n`);
    } else {
      io.stdout(text);
    }
    return exitCodeOf(report);
  } catch (err) {
    if (err instanceof LiveError && err.kind === 'config') {
      io.stderr(`opex verify: ${err.message}\n`);
      return 2;
    }
    throw err;
  } finally {
    if (handleSignals) {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  }
}
