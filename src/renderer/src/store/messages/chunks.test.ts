import 'fake-indexeddb/auto'
import { afterEach, describe, expect, it } from 'vitest'
import { Dexie, liveQuery } from 'dexie'
import { MailDb, SCHEMA_VERSIONS } from '../mail-db'
import { bucketDeltas, bucketDrift } from '../list-buckets'
import { folderId, type MessageRow } from '../rows'
import { testMessageRow } from '../test-message-row'
import { WORDS_INDEXED_KEY } from '../search-index'
import { threadBucketsOf, threadDrift, threadsOf } from '../threads'
import { CHUNK_ROWS, type StoredRow } from './chunk-layout'
import {
  addMessages,
  allMessages,
  countFolderByDate,
  countFolderMessages,
  deleteMessages,
  findMessagesInIdRange,
  folderUids,
  getMessage,
  getMessages,
  messagesAboveId,
  messagesFromUid,
  messageTables,
  moveFolderMessages,
  newestByUid,
  newestMessages,
  highestGivenId,
  putMessages,
  readFolderByDate,
  readFolderRunsByDate,
  updateMessage,
  updateMessages,
  type FolderDateQuery,
  type ListFilter,
} from './index'
import { testThreadRows } from '../test-thread-rows'
import { testDayCounts } from '../test-day-counts'

/*
 * The chunk layout of schema version 10 against fake-indexeddb, checked against a model of the store kept in the
 * test (a Map of rows by id) and brute-force answers over it: sort, filter, slice.
 */

let counter = 0
const dbs: MailDb[] = []
afterEach(() => {
  for (const db of dbs.splice(0)) db.close()
})

async function freshDb(name = `chunks-${++counter}`): Promise<MailDb> {
  const db = new MailDb(name, 'relaxed')
  dbs.push(db)
  await db.open()
  return db
}

const A = folderId('a', 'INBOX')
const B = folderId('a', 'Archive')
const C = folderId('a', 'Lists')
const D = folderId('a', 'Renamed')

/** A small seeded generator (mulberry32): the same run every time, so a failure can be replayed. */
function random(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const pick = <T>(rnd: () => number, items: readonly T[]): T => items[Math.floor(rnd() * items.length)]!

/** Rows of the model, by id. */
type Model = Map<number, StoredRow>

/** List order written out again here (not the module's): newest date first, no valid date last, then id. */
function newestFirst(a: StoredRow, b: StoredRow): number {
  const da = Number.isFinite(a.date) ? a.date : -Infinity
  const db = Number.isFinite(b.date) ? b.date : -Infinity
  if (da !== db) return da > db ? -1 : 1
  return b.id - a.id
}

function bruteWindow(model: Model, folder: string, q: FolderDateQuery): number[] {
  const from = q.from ?? -Infinity
  const to = q.to ?? Infinity
  const rows = [...model.values()]
    .filter((r) => r.folderId === folder)
    .filter((r) => {
      const d = Number.isFinite(r.date) ? r.date : -Infinity
      return d >= from && d < to
    })
    .filter((r) => q.filter === 'all' || (q.filter === 'unread' ? r.unread === 1 : r.flagged === 1))
    .sort(newestFirst)
  if (!q.newestFirst) rows.reverse()
  const offset = q.offset ?? 0
  return rows.slice(offset, offset + (q.limit ?? Infinity)).map((r) => r.id)
}

/** What the store holds, whole, against the model. */
async function expectStoreIs(db: MailDb, model: Model): Promise<void> {
  const all = await allMessages(db)
  expect(all).toEqual([...model.values()].sort((a, b) => a.id - b.id))
  expect(bucketDrift(await testDayCounts(db.listDayCounts).toArray(), all)).toEqual([])
  expect(
    threadDrift(await testThreadRows(db).toArray(), await testDayCounts(db.threadDayCounts).toArray(), all),
  ).toEqual([])
}

/**
 * The directories and chunks as records: every listed chunk exists, holds 1..CHUNK_ROWS rows in list order, the
 * chunks of a folder follow each other in list order without overlapping, what the directory says of each chunk
 * is what it holds, and no chunk is left that no directory lists.
 */
async function expectLayoutSound(db: MailDb, model: Model): Promise<void> {
  const dirs = await db.messageFolders.toArray()
  const chunks = await db.messageChunks.toArray()
  const byKey = new Map(chunks.map((c) => [JSON.stringify([c.folderId, c.no]), c]))
  let listed = 0
  for (const dir of dirs) {
    expect(dir.chunks.length).toBeGreaterThan(0)
    const rows: StoredRow[] = []
    for (const info of dir.chunks) {
      const chunk = byKey.get(JSON.stringify([dir.folderId, info.no]))
      expect(chunk, `chunk ${info.no} of ${dir.folderId}`).toBeDefined()
      listed++
      const r = chunk!.rows
      expect(r.length).toBeGreaterThan(0)
      expect(r.length).toBeLessThanOrEqual(CHUNK_ROWS)
      expect([...r].sort(newestFirst)).toEqual(r)
      const ids = r.map((x) => x.id)
      const uids = r.flatMap((x) => (x.uid === null ? [] : [x.uid]))
      const sortDate = (d: number): number => (Number.isFinite(d) ? d : -Infinity)
      expect(info).toEqual({
        no: info.no,
        count: r.length,
        unread: r.filter((x) => x.unread === 1).length,
        flagged: r.filter((x) => x.flagged === 1).length,
        newestDate: sortDate(r[0]!.date),
        newestId: r[0]!.id,
        oldestDate: sortDate(r.at(-1)!.date),
        oldestId: r.at(-1)!.id,
        minId: Math.min(...ids),
        maxId: Math.max(...ids),
        minUid: uids.length > 0 ? Math.min(...uids) : null,
        maxUid: uids.length > 0 ? Math.max(...uids) : null,
      })
      if (rows.length > 0) expect(newestFirst(rows.at(-1)!, r[0]!)).toBeLessThan(0)
      rows.push(...r)
    }
    const expected = [...model.values()].filter((m) => m.folderId === dir.folderId).sort(newestFirst)
    expect(rows).toEqual(expected)
  }
  expect(chunks.length).toBe(listed)
  expect(new Set(dirs.map((d) => d.folderId))).toEqual(new Set([...model.values()].map((r) => r.folderId)))
}

const FILTERS: ListFilter[] = ['all', 'unread', 'flagged']
const WINDOWS: { offset?: number; limit?: number }[] = [
  {},
  { offset: 0, limit: 10 },
  { offset: 480, limit: 40 },
  { offset: 499, limit: 3 },
  { offset: 950, limit: 200 },
]

/** readFolderByDate and countFolderByDate for every filter, order, date range and window, against the model. */
async function expectWindowsRight(
  db: MailDb,
  model: Model,
  folders: readonly string[],
  ranges: { from?: number | null; to?: number | null }[],
): Promise<void> {
  for (const folder of folders)
    for (const filter of FILTERS)
      for (const range of ranges) {
        const total = bruteWindow(model, folder, { filter, ...range }).length
        expect(await countFolderByDate(db, folder, { filter, ...range })).toBe(total)
        // The same rows newest first in runs of one chunk each: none empty, none longer than a chunk.
        const runs = await readFolderRunsByDate(db, folder, { filter, ...range })
        expect(runs.flat().map((r) => r.id)).toEqual(
          bruteWindow(model, folder, { filter, newestFirst: true, ...range }),
        )
        expect(runs.every((run) => run.length > 0 && run.length <= CHUNK_ROWS)).toBe(true)
        for (const order of [true, false])
          for (const w of WINDOWS) {
            const q: FolderDateQuery = { filter, newestFirst: order, ...range, ...w }
            const got = (await readFolderByDate(db, folder, q)).map((r) => r.id)
            expect(got, JSON.stringify({ folder, ...q })).toEqual(bruteWindow(model, folder, q))
          }
      }
}

/** A header row: unread and flagged spread over the rows, a thread per few UIDs. */
function header(folder: string, uid: number | null, date: number, n: number): MessageRow {
  return testMessageRow(uid ?? 0, {
    folderId: folder,
    uid,
    date,
    threadId: `t${n % 37}`,
    unread: n % 3 === 0 ? 1 : 0,
    flagged: n % 7 === 0 ? 1 : 0,
    subject: `m${n}`,
  })
}

/** Adds rows and records them in the model with the ids the store gave. */
async function add(db: MailDb, model: Model, rows: MessageRow[]): Promise<number[]> {
  const ids = await addMessages(db, rows)
  rows.forEach((r, i) => model.set(ids[i]!, { ...r, id: ids[i]! }))
  return ids
}

describe('message chunks (schema version 10)', () => {
  it('fills chunks of 500 from a newest-first header pass in batches of 100, with a directory that matches the rows', async () => {
    const db = await freshDb()
    const model: Model = new Map()
    // UIDs 1200..1 newest first, as the IMAP header pass stores them, one transaction per batch.
    for (let top = 1_200; top > 0; top -= 100) {
      const batch = Array.from({ length: 100 }, (_, i) => header(A, top - i, (top - i) * 60_000, top - i))
      await db.transaction('rw', messageTables(db), () => add(db, model, batch))
    }
    const dir = (await db.messageFolders.get(A))!
    expect(dir.chunks.map((c) => c.count)).toEqual([500, 500, 200])
    expect(dir.accountId).toBe('a')
    const rows = [...model.values()]
    const inChunk = (k: number): StoredRow[] =>
      rows.filter((r) => r.uid! <= 1_200 - 500 * k && r.uid! > 1_200 - 500 * (k + 1))
    dir.chunks.forEach((info, k) => {
      const part = inChunk(k)
      expect(info.unread).toBe(part.filter((r) => r.unread === 1).length)
      expect(info.flagged).toBe(part.filter((r) => r.flagged === 1).length)
      expect(info.newestDate).toBe(Math.max(...part.map((r) => r.date)))
      expect(info.oldestDate).toBe(Math.min(...part.map((r) => r.date)))
      expect([info.minUid, info.maxUid]).toEqual([
        Math.min(...part.map((r) => r.uid!)),
        Math.max(...part.map((r) => r.uid!)),
      ])
    })
    await expectLayoutSound(db, model)
    await expectStoreIs(db, model)
  })

  it('fills chunks of 500 from an oldest-first download in batches of 250 (new mail lands above), rewriting each chunk at most twice', async () => {
    const db = await freshDb()
    const model: Model = new Map()
    const written = new Map<number, number>()
    db.messageChunks.hook(
      'creating',
      (_key, chunk) => void written.set(chunk.no, (written.get(chunk.no) ?? 0) + 1),
    )
    db.messageChunks.hook(
      'updating',
      (_mods, _key, chunk) => void written.set(chunk.no, (written.get(chunk.no) ?? 0) + 1),
    )
    // A POP3 download: local rows, oldest first, one transaction per batch.
    for (let n = 1; n <= 2_600; n += 250) {
      const count = Math.min(250, 2_601 - n)
      const batch = Array.from({ length: count }, (_, i) => header(A, null, (n + i) * 60_000, n + i))
      await db.transaction('rw', messageTables(db), () => add(db, model, batch))
    }
    const dir = (await db.messageFolders.get(A))!
    expect(dir.chunks.map((c) => c.count)).toEqual([100, 500, 500, 500, 500, 500])
    expect(Math.max(...written.values())).toBeLessThanOrEqual(2)
    await expectLayoutSound(db, model)
    await expectStoreIs(db, model)
  })

  it('answers every list window like a brute-force sort, through random adds, date and folder changes and deletes', async () => {
    const db = await freshDb()
    const model: Model = new Map()
    const rnd = random(20261127)
    let uid = 0
    const folders = [A, B, C]
    const date = (): number => (rnd() < 0.01 ? Number.NaN : Math.floor(rnd() * 10_000) * 1_000)
    const fresh = (folder: string): MessageRow => {
      uid++
      return header(folder, rnd() < 0.05 ? null : uid, date(), uid)
    }
    // A big folder (several chunks, cut in the middle by later inserts), a middling one and a small one.
    for (const [folder, n] of [
      [A, 1_150],
      [B, 320],
      [C, 40],
    ] as const)
      for (let done = 0; done < n; done += 150)
        await add(
          db,
          model,
          Array.from({ length: Math.min(150, n - done) }, () => fresh(folder)),
        )
    await expectLayoutSound(db, model)

    const ranges = [{}, { from: 2_000_000, to: 6_000_000 }, { to: 1_000 }]
    for (let round = 0; round < 3; round++) {
      const step = async (): Promise<void> => {
        const op = rnd()
        const ids = [...model.keys()]
        if (op < 0.35) {
          await add(
            db,
            model,
            Array.from({ length: 1 + Math.floor(rnd() * 40) }, () => fresh(pick(rnd, folders))),
          )
        } else if (op < 0.75) {
          const id = pick(rnd, ids)
          const row = model.get(id)!
          const kind = rnd()
          // UIDs are unique over the whole store here, so a row may move to any folder.
          const changes: Partial<MessageRow> =
            kind < 0.4
              ? { date: date() }
              : kind < 0.7
                ? {
                    folderId: pick(
                      rnd,
                      folders.filter((f) => f !== row.folderId),
                    ),
                  }
                : kind < 0.85
                  ? { unread: row.unread ? 0 : 1, flagged: row.flagged ? 0 : 1 }
                  : { date: date(), folderId: pick(rnd, folders), threadId: `t${Math.floor(rnd() * 5)}` }
          expect(await updateMessage(db, id, changes)).toBe(1)
          model.set(id, { ...row, ...changes })
        } else if (op < 0.8) {
          // One batch of updates: most keep the row's place (a snippet, a flag), some move it; one id twice,
          // and one id no longer stored.
          const gone = Math.max(...ids) + 1_000
          const picked = Array.from({ length: 2 + Math.floor(rnd() * 30) }, () => pick(rnd, ids))
          const updates = [...picked, picked[0]!, gone].map((id) => {
            const kind = rnd()
            const changes: Partial<MessageRow> =
              kind < 0.5
                ? { snippet: `s${Math.floor(rnd() * 1000)}` }
                : kind < 0.8
                  ? { unread: rnd() < 0.5 ? 0 : 1 }
                  : kind < 0.9
                    ? { date: date() }
                    : { folderId: pick(rnd, folders), threadId: `t${Math.floor(rnd() * 5)}` }
            return { id, changes }
          })
          const stored = new Set(picked)
          expect(await updateMessages(db, updates)).toBe(stored.size)
          for (const { id, changes } of updates) {
            const row = model.get(id)
            if (row) model.set(id, { ...row, ...changes })
          }
        } else if (op < 0.88) {
          // A put of whole rows: cached ones with a new date beside a new one.
          const rows = [pick(rnd, ids), pick(rnd, ids)].map((id) => ({ ...model.get(id)!, date: date() }))
          const extra = fresh(pick(rnd, folders))
          await putMessages(db, [...rows, extra])
          for (const r of rows) model.set(r.id, r)
          const [stored] = (await readFolderByDate(db, extra.folderId, { filter: 'all' })).filter(
            (r) => r.subject === extra.subject && !model.has(r.id!),
          )
          model.set(stored!.id!, stored as StoredRow)
        } else {
          const gone = Array.from({ length: 1 + Math.floor(rnd() * 30) }, () => pick(rnd, ids))
          await deleteMessages(db, gone)
          for (const id of gone) model.delete(id)
        }
      }
      for (let i = 0; i < 25; i++) {
        // Some writes in one explicit transaction, the rest each in its own.
        if (rnd() < 0.2)
          await db.transaction('rw', messageTables(db), async () => {
            await step()
            await step()
          })
        else await step()
      }
      await expectLayoutSound(db, model)
      await expectStoreIs(db, model)
      await expectWindowsRight(db, model, folders, ranges)
    }
    // ~2.5 s on a quiet machine; a helper saw it pass 20 s once at load 15 (many brute-force windows).
  }, 60_000)

  it('finds rows by id across folders after moves, and never gives an id twice', async () => {
    const db = await freshDb()
    const model: Model = new Map()
    const rnd = random(7)
    let uid = 0
    const batch = (folder: string, n: number): MessageRow[] =>
      Array.from({ length: n }, () => {
        uid++
        return header(folder, uid, Math.floor(rnd() * 1e6), uid)
      })
    // Interleaved folders, so each folder's ids are several runs.
    for (let i = 0; i < 6; i++) {
      await add(db, model, batch(A, 120))
      await add(db, model, batch(B, 30))
      await add(db, model, [...batch(C, 3), ...batch(A, 2)])
    }
    const given = new Set(model.keys())
    // Single rows moved by id (their runs split), then a whole folder renamed.
    for (const id of [...model.keys()].filter((_, i) => i % 11 === 0)) {
      const to = model.get(id)!.folderId === B ? A : B
      await updateMessage(db, id, { folderId: to })
      model.set(id, { ...model.get(id)!, folderId: to })
    }
    expect(await moveFolderMessages(db, B, D)).toBe(
      [...model.values()].filter((r) => r.folderId === B).length,
    )
    for (const [id, r] of model) if (r.folderId === B) model.set(id, { ...r, folderId: D })
    const deleted = [...model.keys()].filter((_, i) => i % 5 === 2)
    await deleteMessages(db, deleted)
    for (const id of deleted) model.delete(id)

    const asked = [...given, 0, -1, 99_999].sort(() => rnd() - 0.5)
    expect(await getMessages(db, asked)).toEqual(asked.map((id) => model.get(id)))
    for (const id of asked.slice(0, 20)) expect(await getMessage(db, id)).toEqual(model.get(id))
    await expectLayoutSound(db, model)
    await expectStoreIs(db, model)

    // Ids above every one given, also after the highest ids and then every row were deleted.
    const high = Math.max(...given)
    await deleteMessages(db, [high, high - 1, high - 2])
    for (const id of [high, high - 1, high - 2]) model.delete(id)
    const [next] = await add(db, model, batch(C, 1))
    expect(next).toBe(high + 1)
    await deleteMessages(db, [...model.keys()])
    model.clear()
    expect(await allMessages(db)).toEqual([])
    const again = await add(db, model, [...batch(A, 2), ...batch(B, 1)])
    expect(Math.min(...again)).toBeGreaterThan(next!)
    // A row put back with the id it had (an undo) is found by it, and later ids stay above it.
    const back = { ...header(D, 1_000_000, 5, 1), id: high }
    await putMessages(db, [back])
    model.set(high, back)
    expect(await getMessage(db, high)).toEqual(back)
    const [after] = await add(db, model, batch(D, 1))
    expect(after).toBeGreaterThan(Math.max(...again))
    // An add naming an id that is stored is refused.
    await expect(addMessages(db, [{ ...header(C, 1_000_001, 5, 1), id: high }])).rejects.toThrow(
      /ConstraintError|already stored/,
    )
    await expectStoreIs(db, model)
  })

  it('joins the id runs again when moved messages come back, so moves do not leave the run table cut up', async () => {
    const db = await freshDb()
    const model: Model = new Map()
    const ids = await add(
      db,
      model,
      Array.from({ length: 40 }, (_, i) => header(A, i + 1, 1000 + i, i + 1)),
    )
    const runs = () => db.messageIdRanges.toArray()
    expect(await runs()).toEqual([{ start: ids[0], end: ids[39]! + 1, folderId: A }])
    // Out one by one (each cuts the run), then a neighbour: the moved ones form one run of B.
    for (const id of [ids[10]!, ids[12]!, ids[11]!]) await updateMessage(db, id, { folderId: B })
    expect((await runs()).map((r) => [r.start, r.end, r.folderId])).toEqual([
      [ids[0], ids[10], A],
      [ids[10], ids[12]! + 1, B],
      [ids[13], ids[39]! + 1, A],
    ])
    // And back: one run again.
    for (const id of [ids[11]!, ids[10]!, ids[12]!]) await updateMessage(db, id, { folderId: A })
    expect(await runs()).toEqual([{ start: ids[0], end: ids[39]! + 1, folderId: A }])
    expect((await getMessages(db, ids)).every((r) => r?.folderId === A)).toBe(true)
  })

  it('scans by id over several folders like a brute-force sort (indexer, notifier, search)', async () => {
    const db = await freshDb()
    const model: Model = new Map()
    const rnd = random(99)
    let uid = 0
    const folders = [A, B, C, D]
    // First a header pass into one folder (newest first, so each chunk holds a narrow run of ids), then 1,400 rows in
    // small batches to random folders with random dates: chunks hold scattered ids.
    for (let top = 2_500; top > 0; top -= 500)
      await add(
        db,
        model,
        Array.from({ length: 500 }, () => {
          uid++
          // Each batch's dates in a band below the last one's, in no order inside it.
          return header(D, uid, 1e9 + top * 1e6 + Math.floor(rnd() * 5e5), uid)
        }),
      )
    for (let n = 0; n < 1_400;) {
      const size = 1 + Math.floor(rnd() * 60)
      const folder = pick(rnd, folders)
      await add(
        db,
        model,
        Array.from({ length: size }, () => {
          uid++
          return header(folder, uid, Math.floor(rnd() * 1e6), uid)
        }),
      )
      n += size
    }
    // Rows moved by id split their folder's runs of ids; the header pass's run is left whole.
    for (const id of [...model.keys()].filter((id) => model.get(id)!.folderId !== D && rnd() < 0.05)) {
      const to = pick(rnd, folders)
      await updateMessage(db, id, { folderId: to })
      model.set(id, { ...model.get(id)!, folderId: to })
    }
    const gone = [...model.keys()].filter(() => rnd() < 0.1)
    await deleteMessages(db, gone)
    for (const id of gone) model.delete(id)
    await expectLayoutSound(db, model)

    const ids = [...model.keys()].sort((a, b) => a - b)
    const top = ids.at(-1)!
    const match = (r: MessageRow): boolean => r.uid! % 3 === 0
    const points = [
      0,
      1,
      37,
      ...gone.slice(0, 3),
      ...ids.filter((_, i) => i % 211 === 0),
      top - 1,
      top,
      top + 10,
    ]
    for (const limit of [1, 40, 700]) {
      expect((await newestMessages(db, limit)).map((r) => r.id)).toEqual([...ids].reverse().slice(0, limit))
      for (const above of points) {
        expect(
          (await messagesAboveId(db, above, limit)).map((r) => r.id),
          `above ${above}`,
        ).toEqual(ids.filter((id) => id > above).slice(0, limit))
        const upTo = rnd() < 0.3 ? top : above + Math.floor(rnd() * 800)
        expect(
          (await findMessagesInIdRange(db, above, upTo, match, limit)).map((r) => r.id),
          `(${above}, ${upTo}]`,
        ).toEqual(
          ids
            .filter((id) => id > above && id <= upTo && match(model.get(id)!))
            .reverse()
            .slice(0, limit),
        )
      }
    }
    expect(await messagesAboveId(db, 0, 5)).toEqual(ids.slice(0, 5).map((id) => model.get(id)))
    expect((await messagesAboveId(db, 0, 10_000)).map((r) => r.id)).toEqual(ids)
    expect((await newestMessages(db, 10_000)).map((r) => r.id)).toEqual([...ids].reverse())
    // No stored id above it, and every row stored later above it.
    const highest = await highestGivenId(db)
    expect(highest).toBeGreaterThanOrEqual(top)
    const [later] = await add(db, model, [header(A, null, 5, 1)])
    expect(later!).toBeGreaterThan(highest)
    expect(await highestGivenId(db)).toBe(later)
  })

  it('reads by UID like a brute-force sort: messagesFromUid, folderUids, newestByUid', async () => {
    const db = await freshDb()
    const model: Model = new Map()
    const rnd = random(4242)
    // UIDs unrelated to dates (a folder filled by moves and appends), and local rows without a UID.
    const uids = Array.from({ length: 1_300 }, (_, i) => i * 3 + 1).sort(() => rnd() - 0.5)
    for (let i = 0; i < uids.length; i += 100)
      await add(
        db,
        model,
        uids
          .slice(i, i + 100)
          .map((u, k) => header(A, rnd() < 0.03 ? null : u, Math.floor(rnd() * 1e6), i + k)),
      )
    await add(db, model, [header(B, 5, 1, 1), header(B, null, 2, 2)])
    // A folder as a header pass fills it: UIDs rise with the date (a few out of step), so each of its six chunks
    // holds a narrow span of UIDs and a read from a UID loads only the chunks it needs.
    for (let top = 3_000; top > 0; top -= 500)
      await add(
        db,
        model,
        Array.from({ length: 500 }, (_, i) => {
          const u = top - i
          return header(D, u, rnd() < 0.05 ? Math.floor(rnd() * 3e6) : u * 1_000, u)
        }),
      )
    const gone = [...model.keys()].filter(() => rnd() < 0.1)
    await deleteMessages(db, gone)
    for (const id of gone) model.delete(id)
    await expectLayoutSound(db, model)

    expect((await db.messageFolders.get(D))!.chunks.length).toBeGreaterThan(5)
    for (const folder of [A, B, C, D]) {
      const rows = [...model.values()]
        .filter((r) => r.folderId === folder && r.uid !== null)
        .sort((a, b) => a.uid! - b.uid!)
      expect(await folderUids(db, folder)).toEqual(rows.map((r) => r.uid))
      expect(await newestByUid(db, folder)).toEqual(rows.at(-1))
      for (const from of [0, 1, 2, 500, 1_999, 2_990, 3_000, 3_898, 3_899, 5_000])
        for (const limit of [1, 7, 501, 5_000])
          expect(
            (await messagesFromUid(db, folder, from, limit)).map((r) => r.uid),
            `${folder} from ${from} limit ${limit}`,
          ).toEqual(
            rows
              .filter((r) => r.uid! >= from)
              .slice(0, limit)
              .map((r) => r.uid),
          )
    }
  })

  it('moves a version-9 store into chunks: ids kept, gaps kept, every row found by id and by window, new ids above every id named', async () => {
    const name = `chunks-upgrade-${++counter}`
    const v9 = new Dexie(name)
    v9.version(9).stores(SCHEMA_VERSIONS.find((v) => v.version === 9)!.stores)
    const messages = v9.table<MessageRow, number>('messages')
    const rnd = random(9)
    let uid = 0
    const batch = (folder: string, n: number): MessageRow[] =>
      Array.from({ length: n }, () => {
        uid++
        return header(
          folder,
          rnd() < 0.02 ? null : uid,
          rnd() < 0.01 ? Number.NaN : Math.floor(rnd() * 1e6),
          uid,
        )
      })
    for (let i = 0; i < 5; i++) {
      await messages.bulkAdd(batch(A, 230))
      await messages.bulkAdd(batch(B, 20))
      await messages.bulkAdd(batch(C, 2))
    }
    const keys = await messages.toCollection().primaryKeys()
    const highest = Math.max(...keys)
    // Gaps everywhere, and the five highest ids gone: words and snippets name two, a queued action and the word
    // index's mark two more, and the highest nothing names.
    const gone = [
      ...keys.filter(() => rnd() < 0.08),
      highest,
      highest - 1,
      highest - 2,
      highest - 3,
      highest - 4,
    ]
    await messages.bulkDelete(gone)
    await v9.table('messageWords').put({ id: highest - 1, words: ['gone'] })
    await v9.table('snippets').put({ id: highest - 3, text: 'gone' })
    await v9.table('pendingActions').add({
      accountId: 'a',
      kind: 'imap',
      payload: { x: 1 },
      messageIds: [highest - 2],
      createdAt: 5,
      attempts: 0,
      lastError: null,
    })
    await v9.table('syncState').put({ key: WORDS_INDEXED_KEY, value: highest - 4 })
    const before = new Map((await messages.toArray()).map((r) => [r.id!, r as StoredRow]))
    // Counts and threads as version 9 kept them.
    await v9.table('listBuckets').bulkPut(bucketDeltas([], before.values()))
    const threads = threadsOf(before.values())
    await v9.table('threads').bulkPut(threads)
    await v9.table('threadBuckets').bulkPut(threadBucketsOf(threads))
    v9.close()

    const db = await freshDb(name)
    expect(db.verno).toBe(SCHEMA_VERSIONS.at(-1)!.version)
    expect(db.tables.map((t) => t.name)).not.toContain('messages')
    await expectLayoutSound(db, before)
    await expectStoreIs(db, before)
    // Full chunks in list order, the rest in the last.
    const inA = [...before.values()].filter((r) => r.folderId === A).length
    expect(inA).toBeGreaterThan(1_000)
    expect((await db.messageFolders.get(A))!.chunks.map((c) => c.count)).toEqual([500, 500, inA - 1_000])
    for (const id of gone) expect(await getMessage(db, id)).toBeUndefined()
    const ids = [...before.keys()]
    expect(await getMessages(db, ids)).toEqual(ids.map((id) => before.get(id)))
    await expectWindowsRight(db, before, [A, B, C], [{}, { from: 250_000, to: 750_000 }])

    // A new message's id is above every id given before, named anywhere or not (as the old table's `++id` was).
    const [fresh] = await addMessages(db, [header(C, 999_999, 5, 1)])
    expect(fresh).toBe(highest + 1)
    const [other] = await addMessages(db, [header(A, 999_998, 5, 2)])
    expect(other).toBe(fresh! + 1)
    expect(await getMessages(db, [fresh!, other!])).toEqual([
      expect.objectContaining({ folderId: C, uid: 999_999 }),
      expect.objectContaining({ folderId: A, uid: 999_998 }),
    ])
  })
  it('rewrites a directory only when a chunk summary changed, so a stored body or snippet wakes no query that reads it', async () => {
    const db = await freshDb()
    const ids = await addMessages(
      db,
      Array.from({ length: 600 }, (_, i) => header(A, i + 1, (i + 1) * 1000, i + 1)),
    )
    let runs = 0
    const seen: number[] = []
    const subscription = liveQuery(() => {
      runs++
      return countFolderMessages(db, A)
    }).subscribe((count) => seen.push(count))
    const settled = (): Promise<void> => new Promise((r) => setTimeout(r, 150))
    await settled()
    expect(seen).toEqual([600])
    const body = { file: 'a.0', offset: 0, length: 10 }
    expect(
      await updateMessages(db, [
        { id: ids[0]!, changes: { snippet: 'now known' } },
        { id: ids[599]!, changes: { bodyState: 'full', body } },
      ]),
    ).toBe(2)
    await settled()
    expect(runs).toBe(1)
    // A change the directory sums up (unread) writes it, and the query runs again.
    const row = (await getMessage(db, ids[0]!))!
    await updateMessages(db, [{ id: ids[0]!, changes: { unread: row.unread === 1 ? 0 : 1 } }])
    await settled()
    expect(runs).toBe(2)
    subscription.unsubscribe()
    expect((await getMessage(db, ids[599]!))?.body).toEqual(body)
  })
})
