// Writing a completed checkpoint or savepoint as one `.bscp` file: `_metadata` first, then one entry per
// state handle. Pure and deterministic: the same checkpoint, blobs and job always give the same bytes.
// A checkpoint with channel state (unaligned) is written as format version 2, any other as version 1.
import type { CheckpointMetadata, OperatorStateMetadata } from '../checkpoint/checkpoint-metadata';
import { checkpointPropertiesOf, type CheckpointProperties } from './checkpoint-properties';
import { encodeChannelState } from './channel-state-encoding';
import { encodeKeyedStateHandle } from './encode-keyed-state';
import { METADATA_ENTRY, operatorStateEntryName } from './entry-name';
import { formatMetadataJson } from './metadata-json';
import { operatorIdOfUid } from './operator-id';
import { encodeOperatorState } from './operator-state-encoding';
import { SnapshotEntries } from './snapshot-entries';
import { SnapshotEncodingError, SnapshotFileFailure } from './snapshot-file-error';
import { readMetadataDocument } from './read-metadata-document';
import type { SnapshotJob } from './snapshot-job';
import {
  CHANNEL_STATE_FORMAT_VERSION,
  SNAPSHOT_FORMAT,
  SNAPSHOT_FORMAT_VERSIONS,
  type OperatorStateDocument,
  type OperatorSubtaskStateDocument,
  type SnapshotMetadataDocument,
} from './snapshot-metadata-schema';
import { writeZip } from './zip-writer';

export interface SnapshotFileInput {
  readonly metadata: CheckpointMetadata;
  /** Every blob the metadata names (requiredBlobs), by storage key, as CheckpointStorage.readState returns it. */
  readonly blobs: ReadonlyMap<string, Uint8Array>;
  readonly job: SnapshotJob;
  /** Default: what Flink gives a savepoint, or a checkpoint under the job's retention (checkpointPropertiesOf). */
  readonly properties?: CheckpointProperties;
}

const encoder = new TextEncoder();

/** The `.bscp` file of a checkpoint. Throws SnapshotEncodingError when a blob is missing or disagrees with its handle. */
export function encodeSnapshotFile(input: SnapshotFileInput): Uint8Array {
  const entries = new SnapshotEntries();
  const written = metadataDocument(input, entries);
  checkWritable(written);
  return writeZip([{ name: METADATA_ENTRY, data: encoder.encode(formatMetadataJson(written)) }, ...entries.list()]);
}

function metadataDocument(input: SnapshotFileInput, entries: SnapshotEntries): SnapshotMetadataDocument {
  const { metadata, job } = input;
  const operators = metadata.operators.map((operator) => operatorDocument(operator, input, entries));
  const hasChannelState = operators.some((operator) => operator.subtaskStates.some((state) => state.channelState !== undefined));
  return {
    format: SNAPSHOT_FORMAT,
    // The oldest version that holds the checkpoint: files without channel state stay readable by version-1 readers.
    formatVersion: hasChannelState ? CHANNEL_STATE_FORMAT_VERSION : SNAPSHOT_FORMAT_VERSIONS[0],
    checkpointId: metadata.checkpointId,
    checkpointType: metadata.isSavepoint ? 'SAVEPOINT' : 'CHECKPOINT',
    properties: input.properties ?? checkpointPropertiesOf(metadata.isSavepoint, job.configuration),
    jobId: metadata.jobId,
    jobName: job.jobName,
    triggerTimestamp: metadata.triggerTimestamp,
    completionTimestamp: metadata.completionTimestamp,
    configuration: Object.fromEntries(Object.entries(job.configuration)),
    operators,
  };
}

function operatorDocument(operator: OperatorStateMetadata, input: SnapshotFileInput, entries: SnapshotEntries): OperatorStateDocument {
  const operatorId = operatorIdOfUid(operator.operatorUid);
  if (operator.subtaskStates.length !== operator.parallelism) {
    throw new SnapshotEncodingError(`Operator ${operator.operatorUid} has ${operator.subtaskStates.length} subtask states for parallelism ${operator.parallelism}`);
  }
  return {
    operatorName: input.job.operatorNames.get(operator.operatorUid) ?? null,
    operatorUid: operator.operatorUid,
    operatorId,
    parallelism: operator.parallelism,
    maxParallelism: operator.maxParallelism,
    subtaskStates: operator.subtaskStates.map((state, subtaskIndex): OperatorSubtaskStateDocument => {
      if (state.operatorUid !== operator.operatorUid) throw new SnapshotEncodingError(`Subtask ${subtaskIndex} of ${operator.operatorUid} holds state of ${state.operatorUid}`);
      const target = { operatorId, subtaskIndex, maxParallelism: operator.maxParallelism, blobs: input.blobs, entries };
      const operatorState = state.operator === null ? null : encodeOperatorState(state.operator);
      const document: OperatorSubtaskStateDocument = {
        subtaskIndex,
        managedOperatorState:
          operatorState === null ? null : { entry: entries.add(operatorStateEntryName(operatorId, subtaskIndex), operatorState.bytes), states: operatorState.states.map((meta) => ({ ...meta, offsets: [...meta.offsets] })) },
        managedKeyedState: state.keyed === null ? null : encodeKeyedStateHandle(state.keyed, target),
      };
      const channelState = encodeChannelState(state, target);
      return channelState === undefined ? document : { ...document, channelState };
    }),
  };
}

/** The reader's own checks, so the encoder never writes a `_metadata` the decoder would refuse (an empty uid, say). */
function checkWritable(written: SnapshotMetadataDocument): void {
  try {
    readMetadataDocument(written);
  } catch (error) {
    if (error instanceof SnapshotFileFailure) throw new SnapshotEncodingError(`Cannot write this checkpoint: ${error.message}`);
    throw error;
  }
}
