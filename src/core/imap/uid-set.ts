/**
 * UID set helpers (RFC 9051 §9 `sequence-set`). UIDs are sent as compact ranges so a command for 10,000
 * consecutive messages stays a few bytes long.
 */

/** `[1,2,3,7,9,10]` → `1:3,7,9:10`. Input in any order; duplicates are ignored. Empty input → ''. */
export function toSequenceSet(uids: Iterable<number>): string {
  const sorted = [...new Set(uids)].sort((a, b) => a - b)
  const parts: string[] = []
  let i = 0
  while (i < sorted.length) {
    const start = sorted[i]!
    let end = start
    while (i + 1 < sorted.length && sorted[i + 1] === end + 1) end = sorted[++i]!
    parts.push(start === end ? String(start) : `${start}:${end}`)
    i++
  }
  return parts.join(',')
}

/** `1:3,7` → `[1,2,3,7]`, ascending. `*` is not allowed here: callers expand it first. */
export function parseSequenceSet(set: string): number[] {
  const out: number[] = []
  for (const part of set.split(',')) {
    if (part === '') continue
    const [a, b] = part.split(':').map((n) => Number.parseInt(n, 10))
    if (a === undefined || Number.isNaN(a)) continue
    const lo = Math.min(a, b ?? a)
    const hi = Math.max(a, b ?? a)
    for (let u = lo; u <= hi; u++) out.push(u)
  }
  return out.sort((x, y) => x - y)
}

/**
 * Splits UIDs into batches, newest (highest UID) first: the first batch has `firstSize` UIDs, the rest
 * `size` each. Each batch is returned in descending order.
 */
export function descendingBatches(uids: readonly number[], firstSize: number, size: number): number[][] {
  const desc = [...uids].sort((a, b) => b - a)
  const batches: number[][] = []
  let i = 0
  let n = Math.max(1, firstSize)
  while (i < desc.length) {
    batches.push(desc.slice(i, i + n))
    i += n
    n = Math.max(1, size)
  }
  return batches
}
