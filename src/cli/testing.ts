// The CLI as its tests call it: main() with its output captured, summary lines by label, and scratch
// directories removed after the test file. Used only by src/cli/*.test.ts.
import { afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main, type ProgressLine } from './main';

export interface Invocation {
  readonly code: number;
  readonly out: string[];
  readonly err: string[];
}

export async function cli(...argv: string[]): Promise<Invocation> {
  return cliShowingProgress(undefined, ...argv);
}

export async function cliShowingProgress(progress: ProgressLine | undefined, ...argv: string[]): Promise<Invocation> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, (line) => out.push(line), (line) => err.push(line), progress);
  return { code, out, err };
}

/** The summary line that starts with `label` (e.g. `faults`), without the label. */
export function summary(invocation: Invocation, label: string): string {
  const line = invocation.out.find((l) => l.startsWith(`${label} `));
  if (line === undefined) throw new Error(`No '${label}' line in:\n${invocation.out.join('\n')}`);
  return line.slice(label.length).trim();
}

export const OUTPUT_FILES = ['events.jsonl', 'checkpoints.json', 'output.json'] as const;

const directories: string[] = [];
/** A fresh directory under the system's temporary directory, removed when the test file is done. */
export function temporaryDirectory(): string {
  const directory = mkdtempSync(join(tmpdir(), 'barrierscope-cli-'));
  directories.push(directory);
  return directory;
}
afterAll(() => {
  for (const directory of directories) rmSync(directory, { recursive: true, force: true });
});
