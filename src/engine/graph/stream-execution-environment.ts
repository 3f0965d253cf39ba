// Flink's StreamExecutionEnvironment: the entry point a job is written against. Its settings are
// kept as Flink configuration options (one fact in one place) and validated when the job is built.
import { computeDefaultMaxParallelism } from '../state';
import type { StreamOperator } from '../operators/stream-operator';
import { DataStream, SingleOutputStreamOperator, type StreamContext } from './data-stream';
import { createJobGraph, type JobGraph } from './job-graph';
import { StreamGraph } from './stream-graph';

export type CheckpointingMode = 'EXACTLY_ONCE' | 'AT_LEAST_ONCE';
export type ConfigurationValue = string | number | boolean;
export type ConfigurationMap = Record<string, ConfigurationValue>;

/** Where a source's operator comes from: connectors implement this (Flink's Source). */
export interface Source<T> {
  readonly name: string;
  createReader(): StreamOperator;
  readonly __type?: T;
}

/** Flink's RestartStrategies helpers, producing restart-strategy.* options. */
export const RestartStrategies = {
  noRestart: (): ConfigurationMap => ({ 'restart-strategy.type': 'none' }),
  fixedDelayRestart: (attempts: number, delayMs: number): ConfigurationMap => ({
    'restart-strategy.type': 'fixed-delay',
    'restart-strategy.fixed-delay.attempts': attempts,
    'restart-strategy.fixed-delay.delay': `${delayMs} ms`,
  }),
  exponentialDelayRestart: (initialBackoffMs: number, maxBackoffMs: number, multiplier: number): ConfigurationMap => ({
    'restart-strategy.type': 'exponential-delay',
    'restart-strategy.exponential-delay.initial-backoff': `${initialBackoffMs} ms`,
    'restart-strategy.exponential-delay.max-backoff': `${maxBackoffMs} ms`,
    'restart-strategy.exponential-delay.backoff-multiplier': multiplier,
  }),
  failureRateRestart: (maxFailuresPerInterval: number, intervalMs: number, delayMs: number): ConfigurationMap => ({
    'restart-strategy.type': 'failure-rate',
    'restart-strategy.failure-rate.max-failures-per-interval': maxFailuresPerInterval,
    'restart-strategy.failure-rate.failure-rate-interval': `${intervalMs} ms`,
    'restart-strategy.failure-rate.delay': `${delayMs} ms`,
  }),
};

/** The part of a runtime that runs a job: the deterministic simulator or the Worker cluster. */
export interface JobExecutor<Handle> {
  execute(jobGraph: JobGraph, configuration: ConfigurationMap): Handle;
}

export class StreamExecutionEnvironment<Handle = unknown> {
  readonly configuration: ConfigurationMap;
  readonly #graph = new StreamGraph();
  readonly #context: StreamContext;

  constructor(
    private readonly executor: JobExecutor<Handle> | null = null,
    configuration: ConfigurationMap = {},
  ) {
    this.configuration = { ...configuration };
    this.#context = { graph: this.#graph, getMaxParallelism: () => this.getMaxParallelism() };
  }

  setParallelism(parallelism: number): this {
    return this.set('parallelism.default', parallelism);
  }

  getParallelism(): number {
    return Number(this.configuration['parallelism.default'] ?? 1);
  }

  setMaxParallelism(maxParallelism: number): this {
    return this.set('pipeline.max-parallelism', maxParallelism);
  }

  /** The job's max parallelism: set explicitly, or derived from the default parallelism as Flink does. */
  getMaxParallelism(): number {
    const configured = Number(this.configuration['pipeline.max-parallelism'] ?? -1);
    if (configured > 0) return configured;
    const highest = Math.max(this.getParallelism(), ...this.#graph.nodes.map((node) => node.parallelism));
    return computeDefaultMaxParallelism(highest);
  }

  enableCheckpointing(intervalMs: number, mode: CheckpointingMode = 'EXACTLY_ONCE'): this {
    this.set('execution.checkpointing.interval', `${intervalMs} ms`);
    return this.set('execution.checkpointing.mode', mode);
  }

  setStateBackend(type: 'hashmap' | 'indexeddb'): this {
    return this.set('state.backend.type', type);
  }

  setRestartStrategy(options: ConfigurationMap): this {
    for (const key of Object.keys(this.configuration)) if (key.startsWith('restart-strategy.')) delete this.configuration[key];
    Object.assign(this.configuration, options);
    return this;
  }

  /** Any Flink option by name, e.g. `configure({ 'execution.checkpointing.timeout': '1 min' })`. */
  configure(options: ConfigurationMap): this {
    Object.assign(this.configuration, options);
    return this;
  }

  fromSource<T>(source: Source<T>, sourceName: string = source.name): SingleOutputStreamOperator<T> {
    const node = this.#graph.addNode({
      uid: `source-${this.#graph.nodes.length}`,
      name: `Source: ${sourceName}`,
      kind: 'source',
      parallelism: -1,
      keySelector: null,
      createOperator: () => source.createReader(),
      inputs: [],
    });
    return new SingleOutputStreamOperator<T>(this.#context, node);
  }

  getJobGraph(jobName = 'Flink Streaming Job'): JobGraph {
    return createJobGraph(jobName, this.#graph, this.getParallelism(), this.getMaxParallelism());
  }

  execute(jobName?: string): Handle {
    if (!this.executor) throw new Error('This environment has no executor: create it with a runtime to execute jobs');
    return this.executor.execute(this.getJobGraph(jobName), { ...this.configuration, 'pipeline.max-parallelism': this.getMaxParallelism() });
  }

  private set(key: string, value: ConfigurationValue): this {
    this.configuration[key] = value;
    return this;
  }
}

export { DataStream };
