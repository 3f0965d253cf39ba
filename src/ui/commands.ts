// The page's one command table: every keyboard shortcut with what it does. The key handler dispatches from
// it, buttons take their shortcut hints from it, and the page's key list is drawn from it: no second list.

export type CommandId =
  | 'kill'
  | 'crash'
  | 'fail-upload'
  | 'slow'
  | 'savepoint'
  | 'savepoint-download'
  | 'stop-with-savepoint'
  | 'open-snapshot'
  | 'switch-runtime'
  | 'pause'
  | 'step'
  | 'resume'
  | 'start-fresh'
  | 'help'
  | 'go-live'
  | 'config'
  | 'checkpoint'
  | 'trace-download'
  | 'trace-open';

/** When a key works: while a job runs (either runtime), on the resume offer, or always. */
export type CommandContext = 'job' | 'resume-offer' | 'page';

export interface Command {
  readonly id: CommandId;
  /** `KeyboardEvent.key`. */
  readonly key: string;
  /** How the key is written on the page. */
  readonly keyLabel: string;
  readonly help: string;
  readonly context: CommandContext;
}

export const COMMANDS: readonly Command[] = [
  { id: 'kill', key: 'k', keyLabel: 'k', help: 'kill the selected subtask', context: 'job' },
  { id: 'crash', key: 'c', keyLabel: 'c', help: 'crash it (its operator throws)', context: 'job' },
  { id: 'fail-upload', key: 'u', keyLabel: 'u', help: 'fail its next snapshot upload', context: 'job' },
  { id: 'slow', key: 'w', keyLabel: 'w', help: 'slow it ×10 (again: normal speed)', context: 'job' },
  { id: 'checkpoint', key: 't', keyLabel: 't', help: 'trigger a checkpoint now', context: 'job' },
  { id: 'savepoint', key: 's', keyLabel: 's', help: 'savepoint', context: 'job' },
  { id: 'savepoint-download', key: 'e', keyLabel: 'e', help: 'take a savepoint and download it as a .bscp file', context: 'job' },
  { id: 'stop-with-savepoint', key: 'x', keyLabel: 'x', help: 'stop with a savepoint (flink stop) and download it', context: 'job' },
  { id: 'open-snapshot', key: 'o', keyLabel: 'o', help: 'open a snapshot file to inspect or restore (or drop one on the page)', context: 'page' },
  { id: 'trace-download', key: 'j', keyLabel: 'j', help: "download the run's events as events.jsonl (a trace)", context: 'job' },
  { id: 'trace-open', key: 'J', keyLabel: 'Shift+J', help: 'open a trace (events.jsonl) to replay it in every view', context: 'page' },
  { id: 'switch-runtime', key: 'd', keyLabel: 'd', help: 'deterministic replay on/off', context: 'job' },
  { id: 'pause', key: ' ', keyLabel: 'Space', help: 'pause or play (Workers run on: the picture freezes and replays)', context: 'job' },
  { id: 'step', key: '.', keyLabel: '.', help: 'step one event', context: 'job' },
  { id: 'go-live', key: 'l', keyLabel: 'l', help: 'back to live from a replay', context: 'job' },
  { id: 'config', key: 'g', keyLabel: 'g', help: 'configure the job (Flink options) and restart it', context: 'job' },
  { id: 'help', key: '?', keyLabel: '?', help: 'show every key and what each view means', context: 'page' },
  { id: 'resume', key: 'r', keyLabel: 'r', help: 'resume', context: 'resume-offer' },
  { id: 'start-fresh', key: 'f', keyLabel: 'f', help: 'start fresh', context: 'resume-offer' },
];

/** How the page's key list names each context; the always-on ones need no heading. */
export const CONTEXT_HEADINGS: Readonly<Record<CommandContext, string | null>> = { job: null, page: null, 'resume-offer': 'on a resume offer' };

/** The commands grouped for the key list: while a job runs and always first, then each special context. */
export function commandGroups(): Array<{ readonly heading: string | null; readonly commands: readonly Command[] }> {
  const headings = [...new Set(COMMANDS.map((command) => CONTEXT_HEADINGS[command.context]))];
  return headings.map((heading) => ({ heading, commands: COMMANDS.filter((command) => CONTEXT_HEADINGS[command.context] === heading) }));
}

/** The command `key` runs in one of `contexts`, if any. */
export function commandForKey(key: string, contexts: readonly CommandContext[]): Command | undefined {
  return COMMANDS.find((command) => command.key === key && contexts.includes(command.context));
}

/** The key of a command, for a button's hint ("k"). */
export function keyOf(id: CommandId): string {
  return COMMANDS.find((command) => command.id === id)!.keyLabel;
}
