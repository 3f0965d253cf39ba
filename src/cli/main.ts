// Entry of the `barrierscope` CLI: dispatches commands, turns usage errors (bad options, bad --set values)
// into a message and exit 2, a snapshot file that cannot be used into one line and exit 3, run errors into a
// message and exit 1.
import { runCommand, type ProgressLine } from './run-command';
import { inspectCommand, INSPECT_USAGE } from './inspect-command';
import { SnapshotFileRefused } from './snapshot-file-input';
import { RUN_USAGE, UsageError } from './run-options';
import { SCENARIOS } from '../scenarios';
import { ConfigurationError } from '../engine/config';

const USAGE = `Usage: barrierscope <command> [options]

Commands:
  run         run a scenario on the deterministic runtime (barrierscope run --help)
  inspect     show what a .bscp snapshot file holds (barrierscope inspect --help)
  scenarios   list the scenarios
  help        this text
`;

export type { ProgressLine } from './run-command';

/** A progress line on `stream` if it is a terminal; none otherwise, so piped and redirected output stay byte-identical. */
export function terminalProgress(stream: { readonly isTTY?: boolean; write(text: string): unknown }): ProgressLine | undefined {
  if (stream.isTTY !== true) return undefined;
  return {
    show: (text) => stream.write(`\r\x1b[K${text}`),
    clear: () => stream.write('\r\x1b[K'),
  };
}

export async function main(
  argv: readonly string[],
  print: (line: string) => void = console.log,
  printError: (line: string) => void = console.error,
  progress?: ProgressLine,
): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'run':
        return runCommand(rest, print, progress);
      case 'inspect':
        return inspectCommand(rest, print);
      case 'scenarios':
        for (const scenario of SCENARIOS.values()) print(`${scenario.name.padEnd(14)} ${scenario.description}`);
        return 0;
      case undefined:
      case 'help':
      case '--help':
        print(USAGE);
        return 0;
      default:
        throw new UsageError(`Unknown command '${command}'.\n\n${USAGE}`, false);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      const usage = command === 'run' ? RUN_USAGE : command === 'inspect' ? INSPECT_USAGE : null;
      printError(`barrierscope: ${error.message}${usage !== null && error.showUsage ? `\n\n${usage}` : ''}`);
      return 2;
    }
    if (error instanceof SnapshotFileRefused) {
      printError(`barrierscope: ${error.message}`);
      return 3;
    }
    if (error instanceof ConfigurationError) {
      // Bad --set values, or options not modelled yet: found before the job runs; a usage error all the same.
      printError(`barrierscope: ${error.message}`);
      return 2;
    }
    printError(`barrierscope: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}
