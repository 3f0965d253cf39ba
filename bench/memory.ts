// The memory a running job's Workers hold, from Chromium's performance.measureUserAgentSpecificMemory: it needs a
// cross-origin-isolated page (bench/run.ts serves COOP and COEP headers) and measures at once with the
// ForceEagerMeasureMemory feature (bench/run.ts turns it on; otherwise Chromium waits up to 20 s for a GC).

interface MemoryBreakdownEntry {
  readonly bytes: number;
  readonly attribution: ReadonlyArray<{ readonly scope?: string }>;
}

declare global {
  interface Performance {
    measureUserAgentSpecificMemory?: () => Promise<{ bytes: number; breakdown: MemoryBreakdownEntry[] }>;
  }
}

/** Bytes of JavaScript heap held by every dedicated Worker of this page (the task Workers), or null where it cannot be measured. */
export async function workersMemoryBytes(): Promise<number | null> {
  if (!crossOriginIsolated || !performance.measureUserAgentSpecificMemory) return null;
  const measurement = await performance.measureUserAgentSpecificMemory();
  return measurement.breakdown
    .filter((entry) => entry.attribution.some((attribution) => attribution.scope === 'DedicatedWorkerGlobalScope'))
    .reduce((sum, entry) => sum + entry.bytes, 0);
}
