// The one module that knows all four alternating states, so none of them imports another.
import type { AlternatingStates, BarrierState } from './barrier-state';
import { AlternatingCollectingBarriers } from './alternating-collecting-barriers';
import { AlternatingCollectingBarriersUnaligned } from './alternating-collecting-barriers-unaligned';
import { AlternatingWaitingForFirstBarrier } from './alternating-waiting-for-first-barrier';
import { AlternatingWaitingForFirstBarrierUnaligned } from './alternating-waiting-for-first-barrier-unaligned';
import type { ChannelState } from './channel-state';

export const alternatingStates: AlternatingStates = {
  waitingForFirstBarrier: (state: ChannelState): BarrierState => {
    if (state.hasBlockedChannels) throw new Error(`AlternatingWaitingForFirstBarrier with blocked channels ${state.blockedChannels().join(', ')}`);
    return new AlternatingWaitingForFirstBarrier(state, alternatingStates);
  },
  collectingBarriers: (state) => new AlternatingCollectingBarriers(state, alternatingStates),
  waitingForFirstBarrierUnaligned: (state) => new AlternatingWaitingForFirstBarrierUnaligned(state, alternatingStates),
  collectingBarriersUnaligned: (state) => new AlternatingCollectingBarriersUnaligned(state, alternatingStates),
};
