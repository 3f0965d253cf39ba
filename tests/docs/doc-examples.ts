// The docs' console examples as data: every ```console block of a Markdown file, its `$ ` commands and
// the output pasted under each. Running a block replays its commands in one bash session (so `echo $?`
// reads the previous command's status), with /tmp/ mapped to a fresh directory, and compares what they print.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A line of pasted output that stands for any number of lines the doc leaves out. */
export const ELISION = '…';

export interface ConsoleCommand {
  readonly command: string;
  /** The pasted output, one entry per line; `…` alone on a line elides any number of lines. */
  readonly expected: readonly string[];
}

export interface ConsoleBlock {
  readonly file: string;
  /** 1-based line of the opening fence, for messages. */
  readonly line: number;
  /** Index of the first and one past the last line of the block's body in the file. */
  readonly bodyStart: number;
  readonly bodyEnd: number;
  readonly commands: readonly ConsoleCommand[];
}

export function consoleBlocks(file: string, markdown: string): ConsoleBlock[] {
  const lines = markdown.split('\n');
  const blocks: ConsoleBlock[] = [];
  for (let index = 0; index < lines.length; index++) {
    if (lines[index]!.trim() !== '```console') continue;
    const bodyStart = index + 1;
    let bodyEnd = bodyStart;
    while (bodyEnd < lines.length && lines[bodyEnd]!.trim() !== '```') bodyEnd++;
    if (bodyEnd === lines.length) throw new Error(`${file}:${index + 1}: console block is never closed`);
    blocks.push({ file, line: index + 1, bodyStart, bodyEnd, commands: parseCommands(file, index + 1, lines.slice(bodyStart, bodyEnd)) });
    index = bodyEnd;
  }
  return blocks;
}

function parseCommands(file: string, line: number, body: readonly string[]): ConsoleCommand[] {
  const commands: Array<{ command: string; expected: string[] }> = [];
  for (const text of body) {
    if (text.startsWith('$ ')) commands.push({ command: text.slice(2), expected: [] });
    else if (commands.length === 0) throw new Error(`${file}:${line}: console block must start with a '$ ' command`);
    else commands[commands.length - 1]!.expected.push(text);
  }
  return commands;
}

/**
 * A scratch directory standing in for /tmp/ while one file's examples run, in order: later examples may
 * read what earlier ones wrote, as a reader following the page would.
 */
export function withScratch<T>(run: (scratch: string) => T): T {
  const scratch = mkdtempSync(join(tmpdir(), 'barrierscope-docs-'));
  try {
    return run(scratch);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** What the block's commands printed, stdout and stderr interleaved as a terminal shows them. */
export function runBlock(block: ConsoleBlock, repositoryRoot: string, scratch: string): string[][] {
  const marker = (index: number) => `@@doc-example ${index}@@`;
  const toScratch = (text: string) => text.replaceAll('/tmp/', `${scratch}/`);
  const script = ['exec 2>&1', ...block.commands.flatMap((command, index) => [`status=$?; echo '${marker(index)}'; (exit $status)`, toScratch(command.command)])].join('\n');
  // The block's last status is the doc's business (an example may show a failing command), not ours.
  const { stdout: output, error } = spawnSync('bash', ['-c', script], {
    cwd: repositoryRoot,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (error) throw error;
  const parts = output.replaceAll(`${scratch}/`, '/tmp/').split(/^@@doc-example \d+@@\n/m);
  return parts.slice(1).map((part) => part.replace(/\n$/, '').split('\n').filter((line, _index, all) => !(all.length === 1 && line === '')));
}

/** Whether `actual` matches `expected`, where a `…` line stands for any number of lines. */
export function matchesOutput(expected: readonly string[], actual: readonly string[]): boolean {
  const match = (e: number, a: number): boolean => {
    if (e === expected.length) return a === actual.length;
    if (expected[e] === ELISION) {
      for (let skip = a; skip <= actual.length; skip++) if (match(e + 1, skip)) return true;
      return false;
    }
    return a < actual.length && expected[e] === actual[a] && match(e + 1, a + 1);
  };
  return match(0, 0);
}

/** The block's body with each command's pasted output replaced by what it printed; elided outputs are kept. */
export function regeneratedBody(block: ConsoleBlock, outputs: readonly string[][]): string[] {
  return block.commands.flatMap((command, index) => {
    const actual = outputs[index] ?? [];
    const keep = command.expected.includes(ELISION) ? command.expected : actual;
    return [`$ ${command.command}`, ...keep];
  });
}
