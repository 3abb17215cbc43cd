/**
 * Reads (and, to act as the user would in Trash, changes) the app's IndexedDB from inside the page with
 * the plain IndexedDB API, so the test sees exactly what survived on disk in the browser profile. Written
 * as page-side JavaScript strings: the e2e code is type-checked without the DOM library.
 */
import type { Page } from 'playwright-core'

export interface PageStoreAccount {
  /**
   * One entry per message row of the account: its UIDL, the sha256 of its stored bytes ('' if none), and
   * whether they are in a body file (else in the `bodies` table).
   */
  rows: { uidl: string | null; sha: string; bodyState: string; inFile: boolean }[]
  ledger: {
    uidl: string
    deletedFromServerAt: number | null
    deletedLocallyAt: number | null
    fullStored: boolean
  }[]
  status: { state: string; lastSuccessAt: number | null; error: { code: string } | null } | null
  progress: { phase: string; done: number; total: number } | null
}

/**
 * `bodyBytes(row, legacy)`: a message's stored bytes, from the body file its row points at
 * (store/bodies/body-store.ts) or, for rows without `body`, `legacy(id)` (the `bodies` table); undefined
 * when the file does not hold them. A File taken before the sync worker appended fails to read: taken anew.
 */
export const BODY_BYTES = `
  const bodyDir = await navigator.storage.getDirectory().then((r) => r.getDirectoryHandle('harbor-mail.bodies', { create: true }))
  const bodyFiles = new Map()
  const bodyBytes = async (m, legacy) => {
    if (!m.body) return legacy(m.id)
    for (let attempt = 0; ; attempt++) {
      try {
        let f = bodyFiles.get(m.body.file)
        if (!f) { f = await (await bodyDir.getFileHandle(m.body.file)).getFile(); bodyFiles.set(m.body.file, f) }
        if (m.body.offset + m.body.length > f.size) return undefined
        return await f.slice(m.body.offset, m.body.offset + m.body.length).arrayBuffer()
      } catch (e) {
        bodyFiles.delete(m.body.file)
        if (e.name === 'NotFoundError') return undefined
        if (attempt > 3) throw e
      }
    }
  }
`

const OPEN_DB = `
  const names = (await indexedDB.databases()).map((d) => d.name)
  if (!names.includes('harbor-mail')) return null
  const db = await new Promise((ok, fail) => {
    const r = indexedDB.open('harbor-mail')
    r.onsuccess = () => ok(r.result)
    r.onerror = () => fail(r.error)
  })
  const req = (r) => new Promise((ok, fail) => { r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error) })
  const hex = async (bytes) => [...new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))]
    .map((b) => b.toString(16).padStart(2, '0')).join('')
  ${BODY_BYTES}
`

/** Status and progress only (cheap): what the sync worker was doing at a moment. */
export async function readProgress(page: Page, ids: readonly string[]): Promise<Record<string, string>> {
  const script = `(async (ids) => {
    ${OPEN_DB}
    const tx = db.transaction('syncState', 'readonly')
    const out = {}
    for (const id of ids) {
      const p = await req(tx.objectStore('syncState').get('pop3-progress:' + id))
      out[id] = p ? p.value.phase + ' ' + p.value.done + '/' + p.value.total : 'none'
    }
    db.close()
    return out
  })(${JSON.stringify(ids)})`
  return ((await page.evaluate(script)) as Record<string, string> | null) ?? {}
}

/** The store's identity (src/renderer/src/store/store-identity.ts), or null before the database exists. */
export async function readStoreIdentity(page: Page): Promise<string | null> {
  const script = `(async () => {
    ${OPEN_DB}
    const tx = db.transaction('syncState', 'readonly')
    const row = await req(tx.objectStore('syncState').get('store-identity'))
    db.close()
    return row ? row.value.id : null
  })()`
  return (await page.evaluate(script)) as string | null
}

/** Each account's check phase, counting only checks that started at or after `since` (ms epoch). */
export async function readPhases(page: Page, ids: readonly string[], since: number): Promise<string[]> {
  const script = `(async (ids, since) => {
    ${OPEN_DB}
    const tx = db.transaction('syncState', 'readonly')
    const out = []
    for (const id of ids) {
      const p = await req(tx.objectStore('syncState').get('pop3-progress:' + id))
      out.push(p && p.value.startedAt >= since ? p.value.phase : 'none')
    }
    db.close()
    return out
  })(${JSON.stringify(ids)}, ${since})`
  return ((await page.evaluate(script)) as string[] | null) ?? []
}

/** Everything the store holds for these accounts. */
export async function readStore(
  page: Page,
  ids: readonly string[],
): Promise<Record<string, PageStoreAccount>> {
  const script = `(async (ids) => {
    ${OPEN_DB}
    const tx = db.transaction(['messageChunks', 'bodies', 'pop3LedgerBatches', 'syncState'], 'readonly')
    const messages = (await req(tx.objectStore('messageChunks').getAll())).flatMap((c) => c.rows)
    const bodies = new Map((await req(tx.objectStore('bodies').getAll())).map((b) => [b.messageId, b.raw]))
    // A record per committed batch (schema version 11, store/pop3-ledger.ts), its entries as rows.
    const ledger = (await req(tx.objectStore('pop3LedgerBatches').getAll()))
      .flatMap((b) => b.entries.map((e) => ({ accountId: b.accountId, ...e })))
    const state = new Map((await req(tx.objectStore('syncState').getAll())).map((s) => [s.key, s.value]))
    const out = {}
    for (const id of ids) {
      const rows = []
      for (const m of messages.filter((m) => m.accountId === id)) {
        const raw = await bodyBytes(m, (id) => bodies.get(id))
        rows.push({ uidl: m.uidl, sha: raw ? await hex(raw) : '', bodyState: m.bodyState, inFile: !!m.body })
      }
      out[id] = {
        rows,
        ledger: ledger.filter((l) => l.accountId === id).map((l) => ({
          uidl: l.uidl, deletedFromServerAt: l.deletedFromServerAt, deletedLocallyAt: l.deletedLocallyAt, fullStored: l.fullStored,
        })),
        status: state.get('account-status:' + id) ?? null,
        progress: state.get('pop3-progress:' + id) ?? null,
      }
    }
    db.close()
    return out
  })(${JSON.stringify(ids)})`
  return ((await page.evaluate(script)) as Record<string, PageStoreAccount> | null) ?? {}
}

/**
 * What the app does when the user deletes messages from Trash for good (sync/pop3/local-actions.ts,
 * deleteForGood): in one strict-durability transaction, the message rows and bodies go and the ledger rows
 * get deletedLocallyAt. Picks up to `count` random stored messages of the account; returns their sha256s.
 */
export async function deleteForGoodInPage(page: Page, accountId: string, count: number): Promise<string[]> {
  const script = `(async (accountId, count) => {
    ${OPEN_DB}
    const read = db.transaction(['messageChunks', 'bodies'], 'readonly')
    const mine = (await req(read.objectStore('messageChunks').getAll())).flatMap((c) => c.rows).filter((m) => m.accountId === accountId && m.bodyState === 'full')
    const picked = mine.sort(() => Math.random() - 0.5).slice(0, count)
    const shas = []
    const legacy = new Map()
    for (const m of picked) if (!m.body) legacy.set(m.id, (await req(read.objectStore('bodies').get(m.id))).raw)
    for (const m of picked) shas.push(await hex(await bodyBytes(m, (id) => legacy.get(id))))
    const tx = db.transaction(['messageChunks', 'messageFolders', 'bodies', 'pop3LedgerBatches'], 'readwrite', { durability: 'strict' })
    const now = Date.now()
    // The rows leave their chunks, and each chunk's directory entry is counted again (schema version 10,
    // store/messages/chunk-layout.ts); the per-day counts of the list are not this test's concern.
    const gone = new Set(picked.map((m) => m.id))
    for (const folderId of new Set(picked.map((m) => m.folderId))) {
      const dir = await req(tx.objectStore('messageFolders').get(folderId))
      const kept = []
      for (const info of dir.chunks) {
        const chunk = await req(tx.objectStore('messageChunks').get([folderId, info.no]))
        const rows = chunk.rows.filter((r) => !gone.has(r.id))
        if (rows.length === chunk.rows.length) { kept.push(info); continue }
        if (rows.length === 0) { tx.objectStore('messageChunks').delete([folderId, info.no]); continue }
        tx.objectStore('messageChunks').put({ ...chunk, rows })
        const uids = rows.map((r) => r.uid).filter((u) => typeof u === 'number')
        kept.push({ ...info, count: rows.length,
          unread: rows.filter((r) => r.unread).length, flagged: rows.filter((r) => r.flagged).length,
          newestDate: rows[0].date, newestId: rows[0].id, oldestDate: rows.at(-1).date, oldestId: rows.at(-1).id,
          minId: Math.min(...rows.map((r) => r.id)), maxId: Math.max(...rows.map((r) => r.id)),
          minUid: uids.length ? Math.min(...uids) : null, maxUid: uids.length ? Math.max(...uids) : null })
      }
      if (kept.length === 0) tx.objectStore('messageFolders').delete(folderId)
      else tx.objectStore('messageFolders').put({ ...dir, chunks: kept })
    }
    for (const m of picked) tx.objectStore('bodies').delete(m.id)
    // The ledger's entries of these messages, in their batch records (schema version 11, store/pop3-ledger.ts).
    const batches = new Map()
    for (const m of picked) {
      for (const b of await req(tx.objectStore('pop3LedgerBatches').index('messageIds').getAll(m.id))) {
        const key = b.accountId + '\u0000' + b.seq
        if (!batches.has(key)) batches.set(key, b)
      }
    }
    for (const b of batches.values()) {
      tx.objectStore('pop3LedgerBatches').put({ ...b, entries: b.entries.map((e) => (gone.has(e.messageId) ? { ...e, deletedLocallyAt: now } : e)) })
    }
    await new Promise((ok, fail) => { tx.oncomplete = ok; tx.onerror = () => fail(tx.error); tx.onabort = () => fail(tx.error) })
    db.close()
    return shas
  })(${JSON.stringify(accountId)}, ${count})`
  return ((await page.evaluate(script)) as string[] | null) ?? []
}

/** The store's body files (name → size) and the body reference of every message row (null: none). */
export interface PageBodyFiles {
  files: Record<string, number>
  refs: ({ file: string; offset: number; length: number } | null)[]
}

/** What is in the store's body-file folder, and where the rows point (two reads: not one snapshot). */
export async function readBodyFiles(page: Page): Promise<PageBodyFiles> {
  const script = `(async () => {
    const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('harbor-mail.bodies', { create: true })
    const files = {}
    for await (const [name, handle] of dir.entries()) {
      try { files[name] = (await handle.getFile()).size } catch (e) { files[name] = -1 }
    }
    const result = await (async () => {
      ${OPEN_DB}
      const chunks = await req(db.transaction('messageChunks').objectStore('messageChunks').getAll())
      db.close()
      return chunks.flatMap((c) => c.rows).map((m) => m.body ?? null)
    })()
    return { files, refs: result ?? [] }
  })()`
  return (await page.evaluate(script)) as PageBodyFiles
}

/** Bytes the rows point at, each range that copies share once. */
export function liveBodyBytes(refs: PageBodyFiles['refs']): number {
  const ranges = new Map<string, number>()
  for (const r of refs) if (r) ranges.set(`${r.file}@${r.offset}`, r.length)
  let total = 0
  for (const length of ranges.values()) total += length
  return total
}

/** A syncState row's value, or undefined when there is none (or no store yet). */
export async function readSyncState(page: Page, key: string): Promise<unknown> {
  const script = `(async () => {
    ${OPEN_DB}
    const row = await req(db.transaction('syncState').objectStore('syncState').get(${JSON.stringify(key)}))
    db.close()
    return row ? { value: row.value } : null
  })()`
  return ((await page.evaluate(script)) as { value: unknown } | null)?.value
}

/** Writes a syncState row (the store's own table; the worker reads it when it next needs it). */
export async function putSyncState(page: Page, key: string, value: unknown): Promise<void> {
  await page.evaluate(`(async () => {
    ${OPEN_DB}
    const tx = db.transaction('syncState', 'readwrite', { durability: 'strict' })
    tx.objectStore('syncState').put({ key: ${JSON.stringify(key)}, value: ${JSON.stringify(value)} })
    await new Promise((ok, fail) => { tx.oncomplete = ok; tx.onerror = () => fail(tx.error) })
    db.close()
  })()`)
}

/** How many message rows the store holds per folder path (the folder id's part after the account id). */
export async function countRowsByFolder(page: Page): Promise<Record<string, number>> {
  const script = `(async () => {
    ${OPEN_DB}
    const chunks = await req(db.transaction('messageChunks', 'readonly').objectStore('messageChunks').getAll())
    const out = {}
    for (const m of chunks.flatMap((c) => c.rows)) {
      const path = m.folderId.slice(m.accountId.length + 1)
      out[path] = (out[path] ?? 0) + 1
    }
    db.close()
    return out
  })()`
  return ((await page.evaluate(script)) as Record<string, number> | null) ?? {}
}
