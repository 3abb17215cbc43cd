import type { BoundTables } from './bound-tables'

/*
 * Which folder holds a message, by its global id (schema version 10). Ids are given in storing order and never
 * reused; a write gives the ids of one folder's new rows as one contiguous run, so one record per run (a
 * `messageIdRanges` row: ids [start, end) are in `folderId`) maps them all, where an id → row index would
 * cost a record per message. A message that changes folder without a new id (a local move) splits its run.
 */

export interface MessageIdRangeRow {
  start: number
  /** Exclusive. */
  end: number
  folderId: string
}

/** The run holding `id`, if any (runs do not overlap). */
async function rangeOf(t: BoundTables, id: number): Promise<MessageIdRangeRow | undefined> {
  const r = await t.ranges.where(':id').belowOrEqual(id).last()
  return r && id < r.end ? r : undefined
}

/** The folder of each id (ids no run covers are left out). */
export async function foldersOfIds(t: BoundTables, ids: readonly number[]): Promise<Map<number, string>> {
  const out = new Map<number, string>()
  if (ids.length === 0) return out
  if (ids.length <= 4) {
    const found = await Promise.all(ids.map((id) => rangeOf(t, id)))
    ids.forEach((id, i) => found[i] && out.set(id, found[i].folderId))
    return out
  }
  let low = Infinity
  let high = -Infinity
  for (const id of ids) {
    low = Math.min(low, id)
    high = Math.max(high, id)
  }
  const first = await t.ranges.where(':id').belowOrEqual(low).last()
  const rest = await t.ranges.where(':id').between(low, high, false, true).toArray()
  const runs = first ? [first, ...rest.filter((r) => r.start !== first.start)] : rest
  for (const id of ids) {
    // Runs are few next to the ids and sorted by start: a binary search each.
    let lo = 0
    let hi = runs.length - 1
    while (lo <= hi) {
      const mid = (lo + hi) >> 1
      const r = runs[mid]!
      if (id < r.start) hi = mid - 1
      else if (id >= r.end) lo = mid + 1
      else {
        out.set(id, r.folderId)
        break
      }
    }
  }
  return out
}

/** The folders holding any id in (`above`, `upTo`], each with the part of its runs' ids in that interval. */
export async function foldersInIdInterval(
  t: BoundTables,
  above: number,
  upTo: number,
): Promise<MessageIdRangeRow[]> {
  const first = await t.ranges.where(':id').belowOrEqual(above).last()
  const rest = await t.ranges.where(':id').between(above, upTo, false, true).toArray()
  const runs = first && first.end > above + 1 ? [first, ...rest] : rest
  return runs.map((r) => ({
    start: Math.max(r.start, above + 1),
    end: Math.min(r.end, upTo + 1),
    folderId: r.folderId,
  }))
}

/** The highest id ever given (0: none). */
export async function highestId(t: BoundTables): Promise<number> {
  const last = await t.ranges.orderBy(':id').last()
  return last ? last.end - 1 : 0
}

/** Gives `count` new ids to rows of `folderId`: one contiguous run, recorded (joining the last run if it can). */
export async function allocateIds(t: BoundTables, folderId: string, count: number): Promise<number[]> {
  const last = await t.ranges.orderBy(':id').last()
  const start = last ? last.end : 1
  if (last && last.folderId === folderId) await t.ranges.put({ ...last, end: start + count })
  else await t.ranges.put({ start, end: start + count, folderId })
  return Array.from({ length: count }, (_, i) => start + i)
}

/**
 * Records that these ids are now in `folderId` (rows that moved, or rows put back with the id they had):
 * cuts them out of the runs that held them and adds runs for them.
 */
export async function assignIds(t: BoundTables, ids: readonly number[], folderId: string): Promise<void> {
  if (ids.length === 0) return
  const sorted = [...new Set(ids)].sort((a, b) => a - b)
  // Contiguous runs of the ids to assign.
  const runs: [number, number][] = []
  for (const id of sorted) {
    const last = runs[runs.length - 1]
    if (last && last[1] === id) last[1] = id + 1
    else runs.push([id, id + 1])
  }
  const low = sorted[0]!
  const high = sorted[sorted.length - 1]!
  const first = await t.ranges.where(':id').belowOrEqual(low).last()
  const inside = await t.ranges.where(':id').between(low, high, false, true).toArray()
  const touched =
    first && first.end > low ? [first, ...inside.filter((r) => r.start !== first.start)] : inside
  const put: MessageIdRangeRow[] = []
  const remove: number[] = []
  for (const r of touched) {
    remove.push(r.start)
    // What is left of r after cutting every run out of it.
    let pieces: [number, number][] = [[r.start, r.end]]
    for (const [s, e] of runs) {
      pieces = pieces.flatMap(([ps, pe]): [number, number][] => {
        if (e <= ps || s >= pe) return [[ps, pe]]
        const out: [number, number][] = []
        if (ps < s) out.push([ps, s])
        if (e < pe) out.push([e, pe])
        return out
      })
    }
    for (const [s, e] of pieces) put.push({ start: s, end: e, folderId: r.folderId })
  }
  for (const [s, e] of runs) put.push({ start: s, end: e, folderId })
  // Neighbouring runs of one folder join again (a message moved back, or moved after its neighbours): moves
  // would otherwise leave the table ever more cut up, and the id scans read it run by run.
  const before = first && first.end <= low ? first : await t.ranges.where(':id').below(low).last()
  const after = await t.ranges.where(':id').above(high).first()
  const all = [...(before && before.end <= low ? [before] : []), ...put, ...(after ? [after] : [])].sort(
    (a, b) => a.start - b.start,
  )
  const joined: MessageIdRangeRow[] = []
  for (const r of all) {
    const last = joined[joined.length - 1]
    if (last && last.folderId === r.folderId && last.end === r.start) last.end = r.end
    else joined.push({ ...r })
  }
  const kept = new Set(joined.map((p) => p.start))
  const dropped = [...remove, ...all.map((r) => r.start)].filter((s) => !kept.has(s))
  await t.ranges.bulkDelete([...new Set(dropped)])
  await t.ranges.bulkPut(joined)
}
