// What a snapshot file keeps of the job beyond its state: the name, the operators' names (Flink's
// MetadataV5 keeps name and uid) and the configuration as Flink options, so a restore continues the same job.
import type { JobGraph } from '../graph/job-graph';
import type { JobConfiguration } from '../config/job-configuration';
import { toFlinkOptions } from '../config/flink-options';

export interface SnapshotJob {
  readonly jobName: string;
  /** Flink option key → value, as toFlinkOptions writes them (`execution.checkpointing.interval` → `200 ms`). */
  readonly configuration: Readonly<Record<string, string>>;
  /** Operator uid → name, for operators the metadata holds; a missing one is written as null. */
  readonly operatorNames: ReadonlyMap<string, string>;
}

/** The job part of a snapshot file for a running job. */
export function snapshotJobOf(jobGraph: JobGraph, configuration: JobConfiguration): SnapshotJob {
  const operatorNames = new Map<string, string>();
  for (const vertex of jobGraph.vertices) for (const node of vertex.operators) operatorNames.set(node.uid, node.name);
  return { jobName: jobGraph.name, configuration: toFlinkOptions(configuration), operatorNames };
}
