// One line per part of the picture, in Flink's terms: shown in the `?` overlay and as the views' titles.
export interface ViewHelp {
  readonly name: string;
  readonly help: string;
}

export const VIEW_HELP: readonly ViewHelp[] = [
  { name: 'Job graph', help: 'Operators as columns, each parallel subtask a box; one lane per network channel (FIFO). Click a subtask to break it; click a lane to delay that channel (a slow link between two TaskManagers).' },
  { name: 'Records', help: 'Dots on a lane, coloured and numbered by epoch: the checkpoint whose barrier follows them.' },
  { name: 'Barrier n', help: 'A checkpoint barrier: injected at the sources, it flows with the records and splits the stream into before and after checkpoint n.' },
  { name: 'Gate', help: 'Aligned checkpoints: once barrier n arrived on a channel, that channel is blocked until barrier n arrived on every input channel; held records wait behind it.' },
  { name: 'Snapshot', help: 'When a subtask has all its barriers it snapshots its state: a synchronous part, then an asynchronous upload, then it acknowledges to the checkpoint coordinator.' },
  { name: 'Snapshot shelf', help: 'One frame per checkpoint, one cell per subtask filled on acknowledgement; completed green, in progress blue, failed red, as Flink’s Web UI.' },
  { name: 'Statecharts', help: 'The XState machines the job master runs (job lifecycle, checkpoint coordinator, each pending checkpoint), drawn from their definitions; lit states are active.' },
  { name: 'Source logs', help: 'Each source partition as a log: the read head, and the offset stored in the latest completed checkpoint; a restore rewinds the head to it.' },
  { name: 'Output ledger', help: 'What the sink committed per key against the failure-free result; exactly-once means nothing lost and nothing duplicated.' },
  { name: 'Narration', help: 'What happened, in Flink’s words; click a line to see that moment.' },
  { name: 'Space-time', help: 'One lane per subtask over time; each checkpoint’s consistent cut through its snapshots. Ctrl+wheel or pinch zooms, drag pans; with the view focused + and − zoom, ← and → pan, 0 resets.' },
  { name: 'State inspector', help: 'A keyed subtask’s sampled keys by epoch, what a restore rolled back, and two checkpoints compared: keys added, removed and changed, and the source offsets each holds.' },
  { name: 'Scrubber', help: 'The whole run: ticks for checkpoints and faults; drag to see any past moment (replay), or go back to live.' },
];
