/**
 * Where a pass's time went: one entry per step, `[step, startMs, endMs, 0]` on the worker's clock (epoch ms,
 * comparable with Date.now() elsewhere on the machine), kept on a global for the benches to read over
 * DevTools (bench/pop3-store-profile.ts, bench/imap-resync-profile.ts). A few array pushes per pass; nothing
 * reads it in the product.
 */
export type TimelineEntry = [step: string, startMs: number, endMs: number, k: number]

export interface StepTimeline {
  /** Ends the current step under this name and starts the next. */
  mark(step: string): void
}

/** Epoch ms on this thread's high-resolution clock (the timelines' clock). */
export const epochNow = (): number => performance.timeOrigin + performance.now()

/** A new timeline on `globalThis[key]`, replacing the last pass's. */
export function startStepTimeline(key: '__pop3Timings' | '__imapTimings'): StepTimeline {
  const entries: TimelineEntry[] = []
  ;(globalThis as Partial<Record<typeof key, TimelineEntry[]>>)[key] = entries
  let last = epochNow()
  return {
    mark(step) {
      const t = epochNow()
      entries.push([step, last, t, 0])
      last = t
    },
  }
}
