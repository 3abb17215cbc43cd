// A tiny seeded PRNG (mulberry32) plus the distributions the corpus needs. Math.random is never used:
// the same seed must give byte-identical corpora on every machine and Node version.

export interface Rng {
  /** Uniform float in [0, 1). */
  next(): number
  /** Uniform 32-bit unsigned integer. */
  u32(): number
  /** Uniform integer in [min, max] (both inclusive). */
  int(min: number, max: number): number
  chance(p: number): boolean
  pick<T>(items: readonly T[]): T
  /** Picks by weight; weights need not sum to 1. */
  weighted<T>(items: readonly (readonly [T, number])[]): T
  /** Log-normal sample with the given median and shape (sigma of the underlying normal). */
  logNormal(median: number, sigma: number): number
  /** A child generator whose sequence does not depend on how much of this one is consumed later. */
  fork(salt: number): Rng
  hex(chars: number): string
}

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return (t ^ (t >>> 14)) >>> 0
  }
}

// Mixes seed and salt so fork(1) and fork(2) of neighbouring seeds do not share streams.
function mix(seed: number, salt: number): number {
  let h = (seed ^ Math.imul(salt + 0x9e3779b9, 0x85ebca6b)) >>> 0
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d)
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b)
  return (h ^ (h >>> 16)) >>> 0
}

export function createRng(seed: number): Rng {
  const nextU32 = mulberry32(mix(seed, 0))
  const next = (): number => nextU32() / 4294967296
  const rng: Rng = {
    next,
    u32: nextU32,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick: (items) => {
      if (items.length === 0) throw new Error('pick from an empty list')
      return items[Math.floor(next() * items.length)]!
    },
    weighted: (items) => {
      let total = 0
      for (const [, w] of items) total += w
      let r = next() * total
      for (const [item, w] of items) {
        r -= w
        if (r < 0) return item
      }
      return items[items.length - 1]![0]
    },
    logNormal: (median, sigma) => {
      // Box-Muller; 1 - next() keeps the log argument away from 0.
      const u = 1 - next()
      const v = next()
      const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)
      return median * Math.exp(sigma * z)
    },
    fork: (salt) => createRng(mix(seed, salt + 1)),
    hex: (chars) => {
      let s = ''
      while (s.length < chars) s += nextU32().toString(16).padStart(8, '0')
      return s.slice(0, chars)
    },
  }
  return rng
}

/** Seeded pseudo-random bytes; little-endian writes keep them identical on every platform. */
export function randomBytes(rng: Rng, length: number): Buffer {
  const buf = Buffer.alloc(Math.ceil(length / 4) * 4)
  for (let i = 0; i < buf.length; i += 4) buf.writeUInt32LE(rng.u32(), i)
  return buf.subarray(0, length)
}
