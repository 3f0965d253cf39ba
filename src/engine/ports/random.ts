// Random: the engine's only source of randomness, injected so that a seeded run replays exactly.
export interface Random {
  /** A float in [0, 1). */
  next(): number;
}

/** An integer in [0, bound). */
export function randomInt(random: Random, bound: number): number {
  return Math.floor(random.next() * bound);
}

/**
 * Mulberry32: a tiny, fast, seeded generator (public domain). Good enough for fault plans and
 * jitter; not for cryptography.
 */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return {
    next() {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
  };
}
