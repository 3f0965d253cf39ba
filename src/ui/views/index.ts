// The views of issue 7 besides the job graph, for the page to mount: each a pure fold (EventFold) and the
// component that draws its view. See each module's header for what it shows and why.
export { SnapshotShelfFold, type SnapshotShelfView, type CheckpointFrame, type ShelfCell } from './snapshot-shelf';
export { SourceLogsFold, type SourceLogsView, type PartitionLog } from './source-logs';
export { OutputLedgerFold, type OutputLedgerView, type OutputLedgerOptions } from './output-ledger';
export { runningSumExpectation, type LedgerExpectation } from './ledger-model';
export { NarrationFold, NARRATION_KINDS, type NarrationView, type NarrationKind } from './narration';
export { JobLifecycleStatesFold, CoordinatorStatesFold, type StatechartView, type CoordinatorStatesOptions } from './machine-states';
export { default as SnapshotShelf } from './SnapshotShelf.svelte';
export { default as PendingCheckpoints } from './PendingCheckpoints.svelte';
export { default as Statechart } from './Statechart.svelte';
export { default as SourceLogSlot } from './SourceLogSlot.svelte';
export { default as OutputLedger } from './OutputLedger.svelte';
export { default as Narration } from './Narration.svelte';
