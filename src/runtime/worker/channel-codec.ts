// How task messages cross a MessagePort. A buffer of records travels as one JSON string rather than an
// array of objects: structured clone copies a string in one piece, while an array of objects is walked
// object by object — see docs/benchmarks.md for the measured difference. Everything else goes as is.
import type { TaskMessage } from '../../engine/task/messages';

export type WireMessage =
  | TaskMessage
  | { readonly type: 'channel-json'; readonly attempt: number; readonly channel: number; readonly sizeBytes: number; readonly json: string };

export function encodeForWire(message: TaskMessage): WireMessage {
  if (message.type !== 'channel' || message.element.kind !== 'buffer') return message;
  return { type: 'channel-json', attempt: message.attempt, channel: message.channel, sizeBytes: message.element.sizeBytes, json: JSON.stringify(message.element.records) };
}

export function decodeFromWire(message: WireMessage): TaskMessage {
  if (message.type !== 'channel-json') return message;
  return {
    type: 'channel',
    attempt: message.attempt,
    channel: message.channel,
    element: { kind: 'buffer', records: JSON.parse(message.json) as unknown[], sizeBytes: message.sizeBytes },
  };
}
