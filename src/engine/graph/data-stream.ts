// Flink's DataStream API in miniature: map, filter, keyBy, process, reduce, union, sinkTo, uid,
// name, setParallelism. Each call adds a node to the environment's StreamGraph.
import type { Key } from '../state';
import { StreamFilter, StreamMap } from '../operators/basic-operators';
import { KeyedProcessOperator, StreamGroupedReduce } from '../operators/keyed-operators';
import type { StreamOperator } from '../operators/stream-operator';
import type { FilterFunction, KeyedProcessFunction, KeySelector, MapFunction, ReduceFunction } from './functions';
import type { PartitionerSpec } from './partitioner';
import type { OperatorKind, StreamEdgeSpec, StreamGraph, StreamNode } from './stream-graph';

export interface StreamContext {
  readonly graph: StreamGraph;
  getMaxParallelism(): number;
}

/** Where a sink's operator comes from: connectors implement this (Flink's Sink). */
export interface Sink<T> {
  readonly name: string;
  createWriter(): StreamOperator;
  /** Phantom for typing only. */
  readonly __type?: T;
}

abstract class NodeHandle {
  constructor(
    protected readonly context: StreamContext,
    protected readonly node: StreamNode,
  ) {}

  /** Flink's uid(): the stable id that maps this operator's state in checkpoints and savepoints. */
  uid(uid: string): this {
    if (!/^[A-Za-z0-9_.-]+$/.test(uid)) throw new Error(`uid '${uid}' may only contain letters, digits, '_', '.', '-'`);
    if (this.context.graph.nodes.some((other) => other !== this.node && other.uid === uid)) {
      throw new Error(`uid '${uid}' is used by two operators; uids must be unique within a job`);
    }
    this.node.uid = uid;
    return this;
  }

  name(name: string): this {
    this.node.name = name;
    return this;
  }

  setParallelism(parallelism: number): this {
    if (!Number.isInteger(parallelism) || parallelism < 1) throw new Error(`parallelism must be a positive integer, got ${parallelism}`);
    this.node.parallelism = parallelism;
    return this;
  }
}

export class DataStreamSink<T> extends NodeHandle {
  declare readonly __type?: T;
}

export class DataStream<T> {
  constructor(
    protected readonly context: StreamContext,
    /** The nodes this stream reads from (several after union). */
    protected readonly upstream: readonly StreamEdgeSpec[],
  ) {}

  map<R>(mapper: MapFunction<T, R>): SingleOutputStreamOperator<R> {
    return this.transform<R>('map', 'Map', () => new StreamMap(mapper as MapFunction<unknown, unknown>), null);
  }

  filter(predicate: FilterFunction<T>): SingleOutputStreamOperator<T> {
    return this.transform<T>('filter', 'Filter', () => new StreamFilter(predicate as FilterFunction<unknown>), null);
  }

  keyBy(keySelector: KeySelector<T>): KeyedStream<T> {
    const partitioner: PartitionerSpec = {
      kind: 'hash',
      keySelector: keySelector as KeySelector<never>,
      maxParallelism: this.context.getMaxParallelism(),
    };
    return new KeyedStream<T>(
      this.context,
      this.upstream.map((edge) => ({ ...edge, partitioner })),
      keySelector,
    );
  }

  /** Round-robin to the next operator, as Flink's rebalance(). */
  rebalance(): DataStream<T> {
    return new DataStream<T>(this.context, this.upstream.map((edge) => ({ ...edge, partitioner: { kind: 'rebalance' } })));
  }

  union(...others: DataStream<T>[]): DataStream<T> {
    return new DataStream<T>(this.context, [...this.upstream, ...others.flatMap((other) => other.upstream)]);
  }

  sinkTo(sink: Sink<T>): DataStreamSink<T> {
    const node = this.addNode('sink', `Sink: ${sink.name}`, () => sink.createWriter(), null);
    return new DataStreamSink<T>(this.context, node);
  }

  protected transform<R>(
    kind: OperatorKind,
    name: string,
    createOperator: () => StreamOperator,
    keySelector: KeySelector<never> | null,
  ): SingleOutputStreamOperator<R> {
    const node = this.addNode(kind, name, createOperator, keySelector);
    return new SingleOutputStreamOperator<R>(this.context, node);
  }

  private addNode(kind: OperatorKind, name: string, createOperator: () => StreamOperator, keySelector: KeySelector<never> | null): StreamNode {
    const id = this.context.graph.nodes.length;
    return this.context.graph.addNode({
      uid: `${kind}-${id}`,
      name,
      kind,
      parallelism: -1,
      keySelector,
      createOperator,
      inputs: this.upstream,
    });
  }
}

/** A stream whose last operator can be configured (uid, name, parallelism). */
export class SingleOutputStreamOperator<T> extends DataStream<T> {
  readonly #handle: NodeHandle;

  constructor(context: StreamContext, node: StreamNode) {
    super(context, [{ sourceId: node.id, partitioner: null }]);
    this.#handle = new (class extends NodeHandle {})(context, node);
  }

  uid(uid: string): this {
    this.#handle.uid(uid);
    return this;
  }

  name(name: string): this {
    this.#handle.name(name);
    return this;
  }

  setParallelism(parallelism: number): this {
    this.#handle.setParallelism(parallelism);
    return this;
  }
}

export class KeyedStream<T> extends DataStream<T> {
  constructor(
    context: StreamContext,
    upstream: readonly StreamEdgeSpec[],
    private readonly keySelector: KeySelector<T>,
  ) {
    super(context, upstream);
  }

  getKeySelector(): (value: T) => Key {
    return this.keySelector;
  }

  process<R>(fn: KeyedProcessFunction<T, R>): SingleOutputStreamOperator<R> {
    const selector = this.keySelector as KeySelector<unknown>;
    return this.transform<R>(
      'process',
      'KeyedProcess',
      () => new KeyedProcessOperator(selector, cloneFunction(fn) as KeyedProcessFunction<unknown, unknown>),
      this.keySelector as KeySelector<never>,
    );
  }

  reduce(reducer: ReduceFunction<T>): SingleOutputStreamOperator<T> {
    const selector = this.keySelector as KeySelector<unknown>;
    return this.transform<T>(
      'reduce',
      'Keyed Reduce',
      () => new StreamGroupedReduce(selector, reducer as ReduceFunction<unknown>),
      this.keySelector as KeySelector<never>,
    );
  }
}

/**
 * Flink serialises a user function and deserialises one copy per subtask; here each subtask gets a
 * fresh instance of the same class with the same own fields, so no state leaks between subtasks.
 */
function cloneFunction<F extends object>(fn: F): F {
  return Object.assign(Object.create(Object.getPrototypeOf(fn) as object) as F, fn);
}
