// An opened unaligned checkpoint's operator, as the page draws it: its channel state per subtask and channel
// (buffers, records, bytes) beside its keyed state; an aligned one draws no channel-state table.
import { afterEach, expect, it } from 'vitest';
import { flushSync, mount, unmount } from 'svelte';
import { decodeSnapshotFile, encodeSnapshotFile, inspectSnapshot, type SnapshotFileInput } from '../../engine/format';
import { EXAMPLE_SNAPSHOT, EXAMPLE_UNALIGNED_SNAPSHOT } from '../../engine/format/snapshot-format-example.fixture';
import SnapshotOperator from './SnapshotOperator.svelte';

let mounted: Record<string, unknown> | null = null;
afterEach(() => {
  if (mounted) void unmount(mounted);
  mounted = null;
  document.body.replaceChildren();
});

function render(input: SnapshotFileInput, uid: string): HTMLElement {
  const decoded = decodeSnapshotFile(encodeSnapshotFile(input));
  if (!decoded.ok) throw new Error(decoded.error.message);
  const operator = inspectSnapshot(decoded.value).operators.find((candidate) => candidate.operatorUid === uid)!;
  const target = document.createElement('main');
  document.body.append(target);
  mounted = mount(SnapshotOperator, { target, props: { operator } });
  flushSync();
  return target;
}

const rowsOf = (root: HTMLElement) => [...root.querySelectorAll('[data-testid="channel-state"] tbody tr')].map((row) => [...row.querySelectorAll('td')].map((cell) => cell.textContent?.trim()));

it("lists a subtask's in-flight records per channel", () => {
  expect(rowsOf(render(EXAMPLE_UNALIGNED_SNAPSHOT, 'sum'))).toEqual([['sum#0', 'input channel 0/0', '2', '3', '99 B']]);
  void unmount(mounted!);
  document.body.replaceChildren();
  expect(rowsOf(render(EXAMPLE_UNALIGNED_SNAPSHOT, 'numbers'))).toEqual([['numbers#0', 'output subpartition 0/0', '1', '1', '33 B']]);
});

it('draws no channel-state table for an aligned checkpoint', () => {
  expect(render(EXAMPLE_SNAPSHOT, 'sum').querySelector('[data-testid="channel-state"]')).toBeNull();
});
