// The page's URL parameters (`?scenario=…&runtime=…&parallelism=…&faults=…`), validated before any work: a bad,
// unknown, repeated or nameless parameter never crashes the page; it yields one problem in words (never two alike)
// for the page to show, and the default is used instead. Problems are bounded, whatever the URL holds. The URL
// holds a whole run (scenario, Flink's options the page sets, seed, runtime, fault plan), so a link reopens
// exactly that run: pageSearch builds it, and parsePageParameters(pageSearch(p)) gives p back.
import { closestKey } from '../engine/config/did-you-mean';
import { parseDuration } from '../engine/config/duration';
import { MINIMAL_CHECKPOINT_TIME_MS, RESTART_STRATEGY_TYPES, STATE_BACKEND_TYPES, UPPER_BOUND_MAX_PARALLELISM } from '../engine/config/options';
import { formatFault, parseFault, type Fault } from '../runtime/sim/fault-plan';
import {
  DEFAULT_RUN_OPTIONS,
  DELIVERY_MODES,
  durationText,
  MAX_ALIGNED_CHECKPOINT_TIMEOUT_MS,
  MAX_CHECKPOINT_INTERVAL_MS,
  MAX_FAULTS,
  MAX_PAGE_PARALLELISM,
  MAX_RECORDS_PER_SECOND,
  MAX_SEED,
  MIN_RECORDS_PER_SECOND,
  PAGE_SCENARIOS,
  RUNTIME_KINDS,
  runOptionProblems,
  type PageRunOptions,
  type RuntimeKind,
} from './config/run-options';

export { MAX_RECORDS_PER_SECOND, MIN_RECORDS_PER_SECOND, type RuntimeKind } from './config/run-options';

export type StorageRequest = 'indexeddb' | 'memory';

export interface PageParameters extends PageRunOptions {
  /** `memory` keeps checkpoints in memory even where IndexedDB works (to see the fallback). */
  readonly storage: StorageRequest;
}

export const DEFAULT_PAGE_PARAMETERS: PageParameters = Object.freeze({ ...DEFAULT_RUN_OPTIONS, storage: 'indexeddb' });

/** Unknown names reported one by one; the rest are counted in one more sentence. */
export const MAX_UNKNOWN_NAMES_REPORTED = 5;
/** Longest name or value quoted in a problem; longer ones are cut with an ellipsis. */
const MAX_QUOTED_LENGTH = 40;
/** Longest fault spec read (the longest valid one is well under this). */
const MAX_FAULT_SPEC_LENGTH = 120;

export interface ParsedPageParameters {
  readonly parameters: PageParameters;
  /** One sentence per rejected parameter, all different; empty when all were valid. */
  readonly problems: readonly string[];
}

/** URL names, in the order a link lists them. */
const KNOWN = ['scenario', 'runtime', 'rate', 'parallelism', 'max-parallelism', 'interval', 'mode', 'backend', 'incremental', 'unaligned', 'aligned-timeout', 'restart', 'seed', 'faults', 'storage'] as const;
type Known = (typeof KNOWN)[number];

/** The Flink option each URL name sets, named in its problems. */
const FLINK_KEY: Partial<Record<Known, string>> = {
  parallelism: 'parallelism.default',
  'max-parallelism': 'pipeline.max-parallelism',
  interval: 'execution.checkpointing.interval',
  mode: 'execution.checkpointing.mode',
  backend: 'state.backend.type',
  incremental: 'execution.checkpointing.incremental',
  unaligned: 'execution.checkpointing.unaligned.enabled',
  'aligned-timeout': 'execution.checkpointing.aligned-checkpoint-timeout',
  restart: 'restart-strategy.type',
};

export function parsePageParameters(search: string): ParsedPageParameters {
  const problems: string[] = [];
  const byName = groupByName(search);
  const values = new Map<Known, string>();
  const unknown: string[] = [];
  for (const [name, given] of byName) {
    if (name === '') continue;
    if (!isKnown(name)) unknown.push(name);
    else if (given.length === 1) values.set(name, given[0]!);
    else problems.push(repeated(name, given));
  }
  reportUnknown(unknown, byName, problems);
  const nameless = byName.get('')?.length ?? 0;
  if (nameless > 0) problems.push(`Ignored ${nameless === 1 ? 'a URL parameter' : `${nameless} URL parameters`} without a name (such as '=' or '=value').`);
  const read = new ValueReader(values, problems);
  const parameters: PageParameters = {
    scenario: read.oneOf('scenario', PAGE_SCENARIOS),
    runtime: read.oneOf<RuntimeKind>('runtime', RUNTIME_KINDS),
    recordsPerSecond: read.wholeNumber('rate', 'records per second', MIN_RECORDS_PER_SECOND, MAX_RECORDS_PER_SECOND),
    parallelism: read.wholeNumber('parallelism', '', 1, MAX_PAGE_PARALLELISM),
    maxParallelism: read.maxParallelism(),
    checkpointIntervalMs: read.interval(),
    mode: read.oneOf('mode', DELIVERY_MODES),
    stateBackend: read.oneOf('backend', STATE_BACKEND_TYPES),
    incremental: read.oneOf('incremental', ['true', 'false'] as const) === 'true',
    unaligned: read.oneOf('unaligned', ['true', 'false'] as const) === 'true',
    alignedCheckpointTimeoutMs: read.alignedTimeout(),
    restartStrategy: read.oneOf('restart', RESTART_STRATEGY_TYPES),
    seed: read.wholeNumber('seed', '', 0, MAX_SEED),
    faults: read.faults(),
    storage: read.oneOf<StorageRequest>('storage', ['indexeddb', 'memory']),
  };
  return { parameters: withoutBadCombinations(parameters, problems), problems };
}

/** The query string of a link that reopens exactly this run (every run parameter spelled out, so later defaults cannot change it). */
export function pageSearch(parameters: PageParameters): string {
  const query = new URLSearchParams();
  for (const name of KNOWN) {
    const text = textOf(name, parameters);
    if (text !== null) query.set(name, text);
  }
  return `?${query.toString()}`;
}

/** The page's address with this run's parameters: `base` is the page's URL (its query and fragment are replaced). */
export function pageLink(parameters: PageParameters, base: string): string {
  const url = new URL(base);
  url.search = pageSearch(parameters);
  url.hash = '';
  return url.toString();
}

/** A URL value for `name`, or null where the link leaves it out (a derived max parallelism, no faults, default storage). */
function textOf(name: Known, parameters: PageParameters): string | null {
  switch (name) {
    case 'scenario':
      return parameters.scenario;
    case 'runtime':
      return parameters.runtime;
    case 'rate':
      return String(parameters.recordsPerSecond);
    case 'parallelism':
      return String(parameters.parallelism);
    case 'max-parallelism':
      return parameters.maxParallelism === null ? null : String(parameters.maxParallelism);
    case 'interval':
      return durationText(parameters.checkpointIntervalMs);
    case 'mode':
      return parameters.mode;
    case 'backend':
      return parameters.stateBackend;
    case 'incremental':
      return String(parameters.incremental);
    case 'unaligned':
      return String(parameters.unaligned);
    case 'aligned-timeout':
      return durationText(parameters.alignedCheckpointTimeoutMs);
    case 'restart':
      return parameters.restartStrategy;
    case 'seed':
      return String(parameters.seed);
    case 'faults':
      return parameters.faults.length === 0 ? null : parameters.faults.map(formatFault).join(',');
    case 'storage':
      return parameters.storage === DEFAULT_PAGE_PARAMETERS.storage ? null : parameters.storage;
  }
}

/** What the default of `name` is, in a problem's words. */
function defaultOf(name: Known): string {
  const value = DEFAULT_PAGE_PARAMETERS;
  switch (name) {
    case 'max-parallelism':
      return 'the max parallelism derived as Flink does';
    case 'interval':
      return durationText(value.checkpointIntervalMs);
    case 'aligned-timeout':
      return durationText(value.alignedCheckpointTimeoutMs);
    case 'faults':
      return 'no faults';
    case 'rate':
    case 'parallelism':
    case 'seed':
      return textOf(name, value)!;
    default:
      return `'${textOf(name, value) ?? value.storage}'`;
  }
}

function withFlinkKey(name: Known): string {
  const key = FLINK_KEY[name];
  return key ? `'${name}' (${key})` : `'${name}'`;
}

/** Reads each known value or reports why not and gives the default. */
class ValueReader {
  constructor(
    private readonly values: ReadonlyMap<Known, string>,
    private readonly problems: string[],
  ) {}

  oneOf<T extends string>(name: Known, allowed: readonly T[]): T {
    const value = this.values.get(name);
    const fallback = textOf(name, DEFAULT_PAGE_PARAMETERS) ?? DEFAULT_PAGE_PARAMETERS.storage;
    if (value === undefined) return fallback as T;
    if ((allowed as readonly string[]).includes(value)) return value as T;
    const suggestion = value.length <= MAX_QUOTED_LENGTH ? closestKey(value, allowed) : undefined;
    this.problems.push(
      `URL parameter ${withFlinkKey(name)} must be one of ${allowed.join(', ')}, got ${quote(value)}${suggestion ? ` (did you mean '${suggestion}'?)` : ''}; using '${fallback}'.`,
    );
    return fallback as T;
  }

  wholeNumber(name: 'rate' | 'parallelism' | 'seed', unit: string, minimum: number, maximum: number): number {
    const fallback = Number(textOf(name, DEFAULT_PAGE_PARAMETERS));
    const value = this.values.get(name);
    if (value === undefined) return fallback;
    const parsed = wholeNumberIn(value, minimum, maximum);
    if (parsed !== null) return parsed;
    this.problems.push(
      `URL parameter ${withFlinkKey(name)} must be a whole number${unit ? ` of ${unit}` : ''} from ${minimum} to ${maximum}, got ${quote(value)}; using ${fallback}.`,
    );
    return fallback;
  }

  maxParallelism(): number | null {
    const value = this.values.get('max-parallelism');
    if (value === undefined) return null;
    const parsed = wholeNumberIn(value, 1, UPPER_BOUND_MAX_PARALLELISM);
    if (parsed !== null) return parsed;
    this.problems.push(
      `URL parameter ${withFlinkKey('max-parallelism')} must be a whole number from 1 to ${UPPER_BOUND_MAX_PARALLELISM}, got ${quote(value)}; using ${defaultOf('max-parallelism')}.`,
    );
    return null;
  }

  interval(): number {
    const fallback = DEFAULT_PAGE_PARAMETERS.checkpointIntervalMs;
    const value = this.values.get('interval');
    if (value === undefined) return fallback;
    const parsed = value.length <= MAX_QUOTED_LENGTH ? parseDuration(value) : null;
    if (parsed?.ok && parsed.milliseconds >= MINIMAL_CHECKPOINT_TIME_MS && parsed.milliseconds <= MAX_CHECKPOINT_INTERVAL_MS) return parsed.milliseconds;
    this.problems.push(
      `URL parameter ${withFlinkKey('interval')} must be a duration from ${MINIMAL_CHECKPOINT_TIME_MS}ms to ${durationText(MAX_CHECKPOINT_INTERVAL_MS)} (such as 500ms or 2s), got ${quote(value)}; using ${defaultOf('interval')}.`,
    );
    return fallback;
  }

  alignedTimeout(): number {
    const fallback = DEFAULT_PAGE_PARAMETERS.alignedCheckpointTimeoutMs;
    const value = this.values.get('aligned-timeout');
    if (value === undefined) return fallback;
    const parsed = value.length <= MAX_QUOTED_LENGTH ? parseDuration(value) : null;
    if (parsed?.ok && parsed.milliseconds <= MAX_ALIGNED_CHECKPOINT_TIMEOUT_MS) return parsed.milliseconds;
    this.problems.push(
      `URL parameter ${withFlinkKey('aligned-timeout')} must be a duration from 0ms to ${durationText(MAX_ALIGNED_CHECKPOINT_TIMEOUT_MS)} (such as 0ms or 200ms), got ${quote(value)}; using ${defaultOf('aligned-timeout')}.`,
    );
    return fallback;
  }

  /** Comma-separated fault specs in the CLI's syntax; one bad spec refuses the plan (a part of it would be another run). */
  faults(): readonly Fault[] {
    const value = this.values.get('faults');
    if (value === undefined || value.trim() === '') return DEFAULT_PAGE_PARAMETERS.faults;
    const specs = value.split(',');
    const refuse = (reason: string) => {
      this.problems.push(`URL parameter 'faults'${reason.startsWith(':') ? '' : ' '}${reason}; using ${defaultOf('faults')}.`);
      return DEFAULT_PAGE_PARAMETERS.faults;
    };
    if (specs.length > MAX_FAULTS) return refuse(`holds ${specs.length} faults, at most ${MAX_FAULTS}`);
    const faults: Fault[] = [];
    for (const spec of specs) {
      if (spec.trim() === 'random') return refuse("cannot be 'random' (the CLI draws a random plan; a link names its faults)");
      if (spec.length > MAX_FAULT_SPEC_LENGTH) return refuse(`has a fault spec too long to be one (${quote(spec)})`);
      try {
        faults.push(parseFault(spec));
      } catch (error) {
        return refuse(`: ${(error as Error).message}`);
      }
    }
    return faults;
  }
}

function wholeNumberIn(value: string, minimum: number, maximum: number): number | null {
  const trimmed = value.trim();
  const parsed = /^\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
  return Number.isSafeInteger(parsed) && parsed >= minimum && parsed <= maximum ? parsed : null;
}

/** Values fine one by one that cannot run together: one problem per parameter, and its default. */
function withoutBadCombinations(parameters: PageParameters, problems: string[]): PageParameters {
  let result = parameters;
  const combination = runOptionProblems(parameters);
  const about = (option: string) => combination.filter((problem) => problem.option === option);
  const maxParallelism = about('pipeline.max-parallelism');
  if (maxParallelism.length > 0) {
    problems.push(`URL parameters 'parallelism' and 'max-parallelism': ${maxParallelism[0]!.message} Using ${defaultOf('max-parallelism')}.`);
    result = { ...result, maxParallelism: null };
  }
  const faults = about('faults');
  if (faults.length > 0) {
    const more = faults.length > 1 ? ` (and ${faults.length - 1} more problem${faults.length > 2 ? 's' : ''} with it)` : '';
    problems.push(`URL parameter 'faults': ${faults[0]!.message}${more} Using ${defaultOf('faults')}.`);
    result = { ...result, faults: DEFAULT_PAGE_PARAMETERS.faults };
  }
  // Checked on what is left, as the engine is asked only once the other combinations hold.
  const unaligned = runOptionProblems(result).filter((problem) => problem.option === 'execution.checkpointing.unaligned.enabled');
  if (unaligned.length > 0) {
    problems.push(`URL parameter 'unaligned': ${unaligned[0]!.message} Using unaligned=false.`);
    result = { ...result, unaligned: false };
  }
  return result;
}

/** Every value of each name, in URL order; names keep their first position. */
function groupByName(search: string): Map<string, string[]> {
  const byName = new Map<string, string[]>();
  for (const [name, value] of new URLSearchParams(search)) {
    const given = byName.get(name);
    if (given) given.push(value);
    else byName.set(name, [value]);
  }
  return byName;
}

function isKnown(name: string): name is Known {
  return (KNOWN as readonly string[]).includes(name);
}

/** Which of several values was meant cannot be known, so none is guessed: the default is used. */
function repeated(name: Known, given: readonly string[]): string {
  const listed = given.length <= 3 ? ` (${given.map(quote).join(', ')})` : '';
  return `URL parameter '${name}' is given ${given.length} times${listed}; give it once. Using the default, ${defaultOf(name)}.`;
}

function reportUnknown(unknown: readonly string[], byName: ReadonlyMap<string, readonly string[]>, problems: string[]): void {
  for (const name of unknown.slice(0, MAX_UNKNOWN_NAMES_REPORTED)) {
    const suggestion = closestKey(name, KNOWN);
    const times = byName.get(name)!.length;
    problems.push(
      `Unknown URL parameter ${quote(name)}${times > 1 ? ` (given ${times} times)` : ''}${suggestion ? ` (did you mean '${suggestion}'?)` : ''}; known: ${KNOWN.join(', ')}.`,
    );
  }
  const more = unknown.length - MAX_UNKNOWN_NAMES_REPORTED;
  if (more > 0) problems.push(`${more} more unknown URL parameter${more === 1 ? ' is' : 's are'} ignored too.`);
}

function quote(text: string): string {
  return `'${text.length > MAX_QUOTED_LENGTH ? `${text.slice(0, MAX_QUOTED_LENGTH)}…` : text}'`;
}
