// Numbers for people, shared by the page's components: whole milliseconds (one decimal below 10 ms),
// thousands separated, sizes in B/KiB/MiB with at most one decimal — never the float noise of raw events (7.89990234375).

const COUNT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const ONE_DECIMAL = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

export function formatCount(value: number): string {
  return COUNT.format(value);
}

/** A duration: "0.4 ms", "12 ms", "1,250 ms"; "2.5 s" from 10 s up. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  if (Math.abs(ms) >= 10_000) return `${ONE_DECIMAL.format(ms / 1000)} s`;
  return Math.abs(ms) < 10 ? `${ONE_DECIMAL.format(ms)} ms` : `${COUNT.format(ms)} ms`;
}

/** A clock time on the job's timeline: "2,351 ms" below 10 s, then "12.3 s". */
export function formatTime(ms: number): string {
  return formatMs(ms);
}

export function formatSize(bytes: number): string {
  if (!Number.isFinite(bytes)) return '–';
  if (bytes < 1024) return `${COUNT.format(bytes)} B`;
  if (bytes < 1024 * 1024) return `${ONE_DECIMAL.format(bytes / 1024)} KiB`;
  return `${ONE_DECIMAL.format(bytes / 1024 / 1024)} MiB`;
}

/** "numbers#0" and "numbers#1" → "numbers#0 and numbers#1"; three or more with commas. */
export function listOf(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** "7.8 / 9.7 KiB": a part and its whole, the unit written once when they share it. */
export function formatSizePair(part: number, whole: number): string {
  const [a, b] = [formatSize(part), formatSize(whole)];
  const unitA = a.split(' ')[1];
  return unitA === b.split(' ')[1] ? `${a.split(' ')[0]} / ${b}` : `${a} / ${b}`;
}
