import { epochNow, type TimelineEntry } from './step-timeline'

/** Enough spans to cover the background work around a few passes; older ones are dropped. */
const KEEP = 400

/**
 * The store reads and writes of the background work (search words, snippets), `[what, startMs, endMs, rows]`
 * on `globalThis.__idleTimings`, on the pass timeline's clock: bench/imap-resync-profile.ts sets them
 * beside a pass's steps to show which of them a pass's read waited behind. Nothing reads it in the product.
 */
export function idleSpan(step: string, startMs: number, rows: number): void {
  const g = globalThis as { __idleTimings?: TimelineEntry[] }
  const entries = (g.__idleTimings ??= [])
  entries.push([step, startMs, epochNow(), rows])
  if (entries.length > KEEP) entries.splice(0, entries.length - KEEP)
}
