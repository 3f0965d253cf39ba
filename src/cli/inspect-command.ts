// `barrierscope inspect FILE [--json]`: what a `.bscp` snapshot holds, without restoring it — FLIP-512's
// `savepoint_metadata` table, then per operator and subtask its key-group range, keys and values (as the State
// Processor API reads them), source offsets, pending transactions and sizes. `--json`: the same, one object.
import { parseArgs } from 'node:util';
import { inspectSnapshot, type OperatorInspection, type SnapshotInspection, type SubtaskInspection } from '../engine/format';
import { OFFSETS_STATE_NAME } from '../engine/connectors/replayable-source';
import { PENDING_TRANSACTIONS_STATE_NAME } from '../engine/connectors/two-phase-commit-sink';
import { UsageError } from './run-options';
import { readSnapshotFile } from './snapshot-file-input';

export const INSPECT_USAGE = `Usage: barrierscope inspect FILE [--json]

Shows what a .bscp snapshot file (a checkpoint or savepoint) holds, without restoring it.

Options:
  --json   print one JSON object instead of tables
  --help   this text
`;

export function inspectCommand(argv: readonly string[], print: (line: string) => void): number {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], strict: true, allowPositionals: true, options: { json: { type: 'boolean' }, help: { type: 'boolean' } } });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (parsed.values.help) {
    print(INSPECT_USAGE);
    return 0;
  }
  if (parsed.positionals.length !== 1) throw new UsageError(`inspect takes one snapshot file, got ${parsed.positionals.length}`);
  const path = parsed.positionals[0]!;
  const inspection = inspectSnapshot(readSnapshotFile(path));
  if (parsed.values.json) print(JSON.stringify(inspectionJson(path, inspection), null, 2));
  else for (const line of inspectionText(path, inspection)) print(line);
  return 0;
}

/** One JSON object: the file's header, FLIP-512's rows, and every operator with its subtasks. */
export function inspectionJson(path: string, inspection: SnapshotInspection) {
  const { savepointMetadata, operators, ...header } = inspection;
  return {
    file: path,
    ...header,
    savepointMetadata,
    operators: operators.map((operator, index) => ({
      name: operator.operatorName,
      uid: operator.operatorUid,
      operatorId: operator.operatorId,
      parallelism: operator.parallelism,
      maxParallelism: operator.maxParallelism,
      subtaskStateCount: savepointMetadata[index]!['operator-subtask-state-count'],
      totalSizeBytes: savepointMetadata[index]!['operator-total-size-in-bytes'],
      subtasks: operator.subtasks,
    })),
  };
}

export function inspectionText(path: string, inspection: SnapshotInspection): string[] {
  const kind = inspection.checkpointType === 'SAVEPOINT' ? 'savepoint' : 'checkpoint';
  const lines = [
    `${path}: ${kind} ${inspection.checkpointId} of job ${inspection.jobName} (${inspection.jobId}), ${inspection.fileSizeBytes} bytes`,
    `triggered at ${inspection.triggerTimestamp} ms, completed at ${inspection.completionTimestamp} ms; ${inspection.checkpointType}` +
      (inspection.properties.savepointFormat === null ? '' : `, ${inspection.properties.savepointFormat} format`),
    '',
    'savepoint_metadata',
    ...table(
      ['checkpoint-id', 'operator-name', 'operator-uid', 'operator-uid-hash', 'operator-parallelism', 'operator-max-parallelism', 'operator-subtask-state-count', 'operator-coordinator-state-size-in-bytes', 'operator-total-size-in-bytes'],
      inspection.savepointMetadata.map((row) => Object.values(row).map((value) => String(value ?? 'null'))),
    ),
  ];
  for (const operator of inspection.operators) lines.push('', ...operatorText(operator));
  return lines;
}

function operatorText(operator: OperatorInspection): string[] {
  const lines = [`operator ${operator.operatorName ?? '(no name)'} (uid ${operator.operatorUid}, ${operator.operatorId}), parallelism ${operator.parallelism}, max parallelism ${operator.maxParallelism}`];
  for (const subtask of operator.subtasks) lines.push(...subtaskText(subtask).map((line, index) => (index === 0 ? `  ${line}` : `    ${line}`)));
  return lines;
}

function subtaskText(subtask: SubtaskInspection): string[] {
  const keyed = subtask.keyedState;
  const head = `subtask ${subtask.subtaskIndex}: ${subtask.sizeBytes} bytes`;
  if (keyed === null && subtask.operatorState.length === 0) return [`${head}, no state`];
  const lines = [head];
  if (keyed !== null) {
    const states = keyed.states.map((state) => `${state.name} (${state.kind})`).join(', ');
    lines.push(
      `key groups ${keyed.keyGroupRange.start}-${keyed.keyGroupRange.end}, ${keyed.backend} backend, ${keyed.handleType}, ` +
        `state size ${keyed.stateSizeBytes} bytes (checkpointed ${keyed.checkpointedSizeBytes}), ${keyed.keyGroups.length} non-empty key group(s), ${keyed.rows.length} key(s); states ${states}`,
    );
    const names = keyed.states.map((state) => state.name);
    if (keyed.rows.length > 0) {
      lines.push(...table(['key-group', 'key', ...names], keyed.rows.map((row) => [String(row.keyGroup), JSON.stringify(row.key), ...names.map((name) => (Object.hasOwn(row.values, name) ? JSON.stringify(row.values[name]) : ''))])));
    }
  }
  if (subtask.sourceOffsets.length > 0) lines.push(`source offsets: ${subtask.sourceOffsets.map((row) => `partition ${row.partition} at ${row.offset}`).join(', ')}`);
  if (subtask.pendingTransactions.length > 0) {
    lines.push(`pending transactions: ${subtask.pendingTransactions.map((row) => `${row.transactionId} (checkpoint ${row.checkpointId}, ${row.records} records)`).join(', ')}`);
  }
  // Other operator state, by name (the offsets and transactions above are list states of their own).
  for (const state of subtask.operatorState) {
    if (state.name === OFFSETS_STATE_NAME || state.name === PENDING_TRANSACTIONS_STATE_NAME) continue;
    lines.push(`operator state ${state.name} (${state.distributionMode}): ${state.entries.length === 1 ? '1 entry' : `${state.entries.length} entries`} ${JSON.stringify(state.entries)}`);
  }
  return lines;
}

/** Columns padded to their widest cell, two spaces apart; no trailing blanks. */
function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  return [header, ...rows].map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd());
}
