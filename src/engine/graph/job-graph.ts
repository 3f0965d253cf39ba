// The physical plan: operators chained into job vertices (as Flink chains forward-connected
// operators of equal parallelism), job edges with partitioners, parallelism resolved.
import type { OperatorUid, VertexId } from '../ids';
import type { PartitionerSpec } from './partitioner';
import type { StreamGraph, StreamNode } from './stream-graph';

export interface JobEdge {
  readonly source: VertexId;
  readonly target: VertexId;
  readonly partitioner: PartitionerSpec;
}

export interface JobVertex {
  /** The head operator's uid. */
  readonly id: VertexId;
  readonly name: string;
  readonly parallelism: number;
  /** Operators of the chain, head first. */
  readonly operators: readonly StreamNode[];
  readonly isSource: boolean;
  readonly inputs: readonly JobEdge[];
  readonly outputs: readonly JobEdge[];
}

export interface JobGraph {
  readonly name: string;
  readonly maxParallelism: number;
  /** Topologically ordered: every vertex comes after its inputs. */
  readonly vertices: readonly JobVertex[];
  vertex(id: VertexId): JobVertex;
  operatorUids(): OperatorUid[];
}

export function createJobGraph(name: string, streamGraph: StreamGraph, defaultParallelism: number, maxParallelism: number): JobGraph {
  const nodes = streamGraph.nodes;
  const parallelismOf = (node: StreamNode) => (node.parallelism > 0 ? node.parallelism : defaultParallelism);
  for (const node of nodes) {
    if (parallelismOf(node) > maxParallelism) {
      throw new Error(`Operator '${node.uid}' has parallelism ${parallelismOf(node)} above the max parallelism ${maxParallelism}`);
    }
  }
  const consumers = new Map<number, StreamNode[]>();
  for (const node of nodes) for (const input of node.inputs) consumers.set(input.sourceId, [...(consumers.get(input.sourceId) ?? []), node]);

  const resolvedPartitioner = (from: StreamNode, to: StreamNode, spec: PartitionerSpec | null): PartitionerSpec => {
    if (spec?.kind === 'forward' && parallelismOf(from) !== parallelismOf(to)) {
      throw new Error(`Forward partitioning from '${from.uid}' to '${to.uid}' needs equal parallelism`);
    }
    return spec ?? (parallelismOf(from) === parallelismOf(to) ? { kind: 'forward' } : { kind: 'rebalance' });
  };
  const chainsWithUpstream = (node: StreamNode): boolean => {
    if (node.inputs.length !== 1) return false;
    const input = node.inputs[0]!;
    const upstream = streamGraph.node(input.sourceId);
    return (
      resolvedPartitioner(upstream, node, input.partitioner).kind === 'forward' &&
      parallelismOf(upstream) === parallelismOf(node) &&
      (consumers.get(upstream.id)?.length ?? 0) === 1
    );
  };

  const headOf = new Map<number, StreamNode>();
  for (const node of nodes) {
    headOf.set(node.id, chainsWithUpstream(node) ? headOf.get(node.inputs[0]!.sourceId)! : node);
  }
  const chains = new Map<number, StreamNode[]>();
  for (const node of nodes) {
    const head = headOf.get(node.id)!;
    chains.set(head.id, [...(chains.get(head.id) ?? []), node]);
  }

  const edges: JobEdge[] = [];
  for (const node of nodes) {
    if (chainsWithUpstream(node)) continue;
    for (const input of node.inputs) {
      const upstream = streamGraph.node(input.sourceId);
      edges.push({
        source: headOf.get(upstream.id)!.uid,
        target: node.uid,
        partitioner: resolvedPartitioner(upstream, node, input.partitioner),
      });
    }
  }
  const vertices: JobVertex[] = [...chains.values()].map((operators) => {
    const head = operators[0]!;
    return {
      id: head.uid,
      name: operators.map((operator) => operator.name).join(' -> '),
      parallelism: parallelismOf(head),
      operators,
      isSource: head.kind === 'source',
      inputs: edges.filter((edge) => edge.target === head.uid),
      outputs: edges.filter((edge) => edge.source === head.uid),
    };
  });
  const byId = new Map(vertices.map((vertex) => [vertex.id, vertex]));
  return {
    name,
    maxParallelism,
    vertices,
    vertex(id) {
      const vertex = byId.get(id);
      if (!vertex) throw new Error(`No job vertex '${id}'`);
      return vertex;
    },
    operatorUids: () => nodes.map((node) => node.uid),
  };
}
