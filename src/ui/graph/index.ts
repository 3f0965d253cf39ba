// The job graph for the page: the view model (a fold of events and samples) and the component drawing it.
export { JobGraphFold, DEFAULT_JOB_GRAPH_OPTIONS, type JobGraphFoldOptions } from './job-graph-fold';
export type { JobGraphView, LaneView, LaneItemView, SubtaskView, VertexView, AlignmentView, SnapshotView } from './job-graph-view';
export { SUBTASK_FAULTS, CHANNEL_DELAY_MS, faultLabel, faultExplanation, type ChannelFault, type SubtaskFault } from './faults';
export { DEFAULT_GRAPH_SIZE, type SourceSlot } from './graph-layout';
export { default as JobGraph } from './JobGraph.svelte';
