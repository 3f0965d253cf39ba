// ExternalSystems: the world outside the job that sinks write to (a database or Kafka topic in
// miniature). It outlives job restarts; the runtime injects it (in memory, or forwarded from a Worker).

export interface OutputRecord {
  readonly value: unknown;
}

export interface ExternalOutput {
  /** Idempotent: committing a transaction id again changes nothing (Flink requires commits to be). */
  commitTransaction(transactionId: string, records: readonly unknown[]): boolean;
  /** Non-transactional write (at-least-once sinks). */
  append(records: readonly unknown[]): void;
  isCommitted(transactionId: string): boolean;
  /** All visible output in the order it became visible. */
  records(): readonly unknown[];
}

export interface ExternalSystems {
  output(name: string): ExternalOutput;
}
