import { describe, expect, it } from 'vitest';
import { AlignmentTracker } from './alignment-tracker';

const options = { checkpointType: 'CHECKPOINT' } as const;

describe('AlignmentTracker', () => {
  it('measures start delay from the barrier creation, alignment from first to last barrier, and bytes processed between', () => {
    const tracker = new AlignmentTracker();
    tracker.barrierReceived(3, 2, 105, 100, options);
    tracker.dataProcessed(40);
    tracker.barrierReceived(3, 3, 107, 100, options); // a later barrier of the same checkpoint changes nothing
    tracker.dataProcessed(2);
    expect(tracker.triggered(3, 112)).toEqual({ barrierTimestamp: 100, options, startDelayMs: 5, alignmentDurationMs: 7, processedDataBytes: 42 });
  });

  it('ignores a barrier of a checkpoint older than one already seen, and ends older alignments with a newer trigger', () => {
    const tracker = new AlignmentTracker();
    tracker.barrierReceived(4, 5, 10, 0, options);
    expect(() => tracker.triggered(4, 20)).toThrow(/without a barrier/);
    tracker.barrierReceived(6, 5, 10, 0, options);
    tracker.barrierReceived(7, 6, 11, 0, options);
    tracker.triggered(7, 20);
    expect(() => tracker.triggered(6, 21)).toThrow(/without a barrier/);
  });

  it('forgets an aborted checkpoint', () => {
    const tracker = new AlignmentTracker();
    tracker.barrierReceived(1, 0, 10, 0, options);
    tracker.aborted(1);
    expect(() => tracker.triggered(1, 20)).toThrow(/without a barrier/);
  });
});
