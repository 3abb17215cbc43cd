/**
 * Where the last POP3 check's time went: one entry per step, `[step, startMs, endMs, 0]` on the worker's
 * clock, kept on `globalThis.__pop3Timings` for bench/pop3-store-profile.ts to read over DevTools. A few
 * array pushes per check; nothing reads it in the product.
 */
type Entry = [step: string, startMs: number, endMs: number, k: number]

export interface CheckTimeline {
  /** Ends the current step under this name and starts the next. */
  mark(step: string): void
}

export function startCheckTimeline(): CheckTimeline {
  const entries: Entry[] = []
  ;(globalThis as { __pop3Timings?: Entry[] }).__pop3Timings = entries
  let last = performance.timeOrigin + performance.now()
  return {
    mark(step) {
      const now = performance.timeOrigin + performance.now()
      entries.push([step, last, now, 0])
      last = now
    },
  }
}
