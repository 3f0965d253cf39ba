// The aligned BarrierHandlerStates on their own, driven through a scripted Controller: each event
// returns the next state, and events the protocol cannot produce in a state throw. CollectingBarriers
// is given the factory of the state it returns to (so the two modules do not import each other).
import { describe, expect, it } from 'vitest';
import type { BarrierHandlerController } from './barrier-handler-state';
import { ChannelState } from './channel-state';
import { CollectingBarriers } from './collecting-barriers';
import type { CheckpointId } from './types';
import { WaitingForFirstBarrier } from './waiting-for-first-barrier';

const collecting = (channels: ChannelState) => new CollectingBarriers(channels, (state) => new WaitingForFirstBarrier(state));

/** A controller whose alignment completes after `barriersNeeded` calls to allBarriersReceived. */
function scriptedController(barriersNeeded: number, pending: CheckpointId | null = 1) {
  const triggered: CheckpointId[] = [];
  let asked = 0;
  const controller: BarrierHandlerController = {
    allBarriersReceived: () => ++asked >= barriersNeeded,
    pendingCheckpointId: () => pending,
    triggerGlobalCheckpoint: (checkpointId) => triggered.push(checkpointId),
  };
  return { controller, triggered };
}

describe('WaitingForFirstBarrier', () => {
  it('blocks the first barrier\'s channel and moves to CollectingBarriers', () => {
    const channels = new ChannelState();
    const { controller, triggered } = scriptedController(2);
    const next = new WaitingForFirstBarrier(channels).barrierReceived(controller, 2, 1);
    expect(next.kind).toBe('CollectingBarriers');
    expect(channels.blockedChannels()).toEqual([2]);
    expect(triggered).toEqual([]);
  });

  it('triggers at once and stays when the first barrier is also the last', () => {
    const channels = new ChannelState();
    const { controller, triggered } = scriptedController(1);
    const waiting = new WaitingForFirstBarrier(channels);
    expect(waiting.barrierReceived(controller, 0, 4)).toBe(waiting);
    expect(triggered).toEqual([4]);
    expect(channels.blockedChannels()).toEqual([]);
  });

  it('cannot be entered with blocked channels', () => {
    const channels = new ChannelState();
    channels.blockChannel(1);
    expect(() => new WaitingForFirstBarrier(channels)).toThrow(/blocked/);
  });

  it('records an end of partition and stays, triggering nothing (Flink\'s WaitingForFirstBarrier.endOfPartitionReceived)', () => {
    const { controller, triggered } = scriptedController(1);
    const waiting = new WaitingForFirstBarrier(new ChannelState());
    expect(waiting.endOfPartitionReceived(controller, 0)).toBe(waiting);
    expect(triggered).toEqual([]);
  });
});

describe('CollectingBarriers', () => {
  it('blocks further channels until the last barrier, then triggers, unblocks all and waits again', () => {
    const channels = new ChannelState();
    channels.blockChannel(0);
    const { controller, triggered } = scriptedController(2);
    const state = collecting(channels);
    expect(state.barrierReceived(controller, 1, 3)).toBe(state);
    expect(channels.blockedChannels()).toEqual([0, 1]);
    const next = state.barrierReceived(controller, 2, 3);
    expect(next.kind).toBe('WaitingForFirstBarrier');
    expect(triggered).toEqual([3]);
    expect(channels.blockedChannels()).toEqual([]);
  });

  it('throws on a second barrier from a channel it already blocked', () => {
    const channels = new ChannelState();
    channels.blockChannel(0);
    const { controller } = scriptedController(5);
    expect(() => collecting(channels).barrierReceived(controller, 0, 1)).toThrow(/already blocked/);
  });

  it('triggers the pending checkpoint when an ended channel was the last one missing', () => {
    const channels = new ChannelState();
    channels.blockChannel(0);
    const { controller, triggered } = scriptedController(1, 9);
    expect(collecting(channels).endOfPartitionReceived(controller, 1).kind).toBe('WaitingForFirstBarrier');
    expect(triggered).toEqual([9]);
  });

  it('takes a blocked channel that ends out of the blocked set and keeps collecting (ChannelState.channelFinished)', () => {
    const channels = new ChannelState();
    channels.blockChannel(0);
    channels.blockChannel(1);
    const { controller, triggered } = scriptedController(2, 9);
    const state = collecting(channels);
    expect(state.endOfPartitionReceived(controller, 0)).toBe(state);
    expect(channels.blockedChannels()).toEqual([1]);
    expect(triggered).toEqual([]);
  });

  it('throws when alignment completes with no pending checkpoint to trigger', () => {
    const { controller } = scriptedController(1, null);
    expect(() => collecting(new ChannelState()).endOfPartitionReceived(controller, 1)).toThrow(/no pending/);
  });

  it('unblocks every channel on abort and returns to WaitingForFirstBarrier', () => {
    const channels = new ChannelState();
    channels.blockChannel(0);
    channels.blockChannel(2);
    expect(collecting(channels).abort(1).kind).toBe('WaitingForFirstBarrier');
    expect(channels.blockedChannels()).toEqual([]);
  });
});
