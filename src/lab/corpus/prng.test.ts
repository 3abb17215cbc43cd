import { describe, expect, it } from 'vitest'
import { createRng, randomBytes } from './prng'

describe('createRng', () => {
  it('repeats its sequence for a seed and differs between seeds', () => {
    const seq = (seed: number): number[] => {
      const r = createRng(seed)
      return Array.from({ length: 8 }, () => r.u32())
    }
    expect(seq(42)).toEqual(seq(42))
    expect(seq(42)).not.toEqual(seq(43))
  })

  it('keeps int() within bounds and reaches both ends', () => {
    const r = createRng(1)
    const seen = new Set<number>()
    for (let i = 0; i < 2000; i++) {
      const v = r.int(3, 7)
      expect(v).toBeGreaterThanOrEqual(3)
      expect(v).toBeLessThanOrEqual(7)
      seen.add(v)
    }
    expect([...seen].sort()).toEqual([3, 4, 5, 6, 7])
  })

  it('gives forks independent of later use of the parent', () => {
    const a = createRng(5)
    const b = createRng(5)
    const forkA = a.fork(1)
    b.u32()
    const forkB = createRng(5).fork(1)
    expect(forkA.u32()).toBe(forkB.u32())
    expect(a.fork(2).u32()).not.toBe(createRng(5).fork(1).u32())
  })

  it('has a log-normal median near the one asked for', () => {
    const r = createRng(9)
    const xs = Array.from({ length: 4001 }, () => r.logNormal(1000, 1)).sort((x, y) => x - y)
    expect(xs[2000]).toBeGreaterThan(900)
    expect(xs[2000]).toBeLessThan(1100)
  })

  it('produces the same random bytes for a seed', () => {
    expect(randomBytes(createRng(3), 13)).toEqual(randomBytes(createRng(3), 13))
    expect(randomBytes(createRng(3), 13)).toHaveLength(13)
  })
})
