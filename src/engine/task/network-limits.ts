// The named bounds of the data plane (every queue here has one). Defaults follow Flink's network
// stack where it has one: 2 exclusive buffers per channel (taskmanager.network.memory.buffers-per-channel).
export interface NetworkLimits {
  /** Records per network buffer before it is sent. */
  readonly bufferCapacityRecords: number;
  /** Credits a consumer grants each producer channel: the buffers it can hold unprocessed. */
  readonly buffersPerChannel: number;
  /** Finished buffers an output subpartition may queue while waiting for credit; beyond it the task is backpressured. */
  readonly maxBacklogBuffersPerSubpartition: number;
}

export const DEFAULT_NETWORK_LIMITS: NetworkLimits = {
  bufferCapacityRecords: 32,
  buffersPerChannel: 2,
  maxBacklogBuffersPerSubpartition: 4,
};
