// The job as Flink code needs it: each source, the keyed operator and the sink with their uids, names and
// parallelism, read from the built job graph, so the generated program names exactly what the simulator runs.
import type { ScenarioJob } from '../../runtime/sim/scenario-job';
import type { StreamNode } from '../../engine/graph/stream-graph';

export interface OperatorOutline {
  readonly uid: string;
  /** The name as the user gave it to Flink (without the "Source: " / "Sink: " prefix Flink adds itself). */
  readonly name: string;
  /** Set on the operator itself (`setParallelism`); null = the environment's default. */
  readonly parallelism: number | null;
}

export interface JobOutline {
  readonly jobName: string;
  readonly parallelism: number;
  readonly maxParallelism: number;
  /** In the order the scenario adds them. */
  readonly sources: readonly OperatorOutline[];
  readonly keyed: OperatorOutline;
  readonly sink: OperatorOutline;
  readonly checkpointIntervalMs: number | null;
  readonly mode: 'EXACTLY_ONCE' | 'AT_LEAST_ONCE';
}

function outline(node: StreamNode, prefix: string): OperatorOutline {
  return {
    uid: node.uid,
    name: node.name.startsWith(prefix) ? node.name.slice(prefix.length) : node.name,
    parallelism: node.parallelism > 0 ? node.parallelism : null,
  };
}

/** Throws if the job graph lacks a source, a keyed operator or a sink (every scenario has them). */
export function outlineJob(job: ScenarioJob): JobOutline {
  const nodes = job.jobGraph.vertices.flatMap((vertex) => vertex.operators);
  const sources = nodes.filter((node) => node.kind === 'source');
  const keyed = nodes.find((node) => node.keySelector !== null);
  const sink = nodes.find((node) => node.kind === 'sink');
  if (sources.length === 0 || !keyed || !sink) {
    throw new Error(`job '${job.jobGraph.name}' is not source → keyBy → keyed operator → sink`);
  }
  return {
    jobName: job.jobGraph.name,
    parallelism: job.configuration.parallelism,
    maxParallelism: job.jobGraph.maxParallelism,
    sources: sources.map((node) => outline(node, 'Source: ')),
    keyed: outline(keyed, ''),
    sink: outline(sink, 'Sink: '),
    checkpointIntervalMs: job.configuration.checkpointing.intervalMs,
    mode: job.configuration.checkpointing.mode,
  };
}

/** A Java string literal. */
export function javaString(text: string): string {
  return JSON.stringify(text);
}

/** `.uid("…").name("…")` and, when the operator sets its own, `.setParallelism(n)`: one call per line. */
export function operatorCalls(operator: OperatorOutline, indent: string): string[] {
  return [
    `${indent}.uid(${javaString(operator.uid)})`,
    `${indent}.name(${javaString(operator.name)})`,
    ...(operator.parallelism === null ? [] : [`${indent}.setParallelism(${operator.parallelism})`]),
  ];
}

/** The Java class for a job: "running-sum" → "RunningSumJob". */
export function javaClassName(jobName: string): string {
  const words = jobName.split(/[^A-Za-z0-9]+/).filter((word) => word !== '');
  const name = words.map((word) => word[0]!.toUpperCase() + word.slice(1)).join('');
  return /^[A-Za-z]/.test(name) ? `${name}Job` : `Barrierscope${name}Job`;
}
