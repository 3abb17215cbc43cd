import 'fake-indexeddb/auto'
import { afterEach, describe, expect, it } from 'vitest'
import type { ChunkOf } from '../../../../shared/contract'
import { readBody } from '../../store/bodies/body-store'
import { BodyStoreWithGap } from '../../store/bodies/test-body-gap'
import { openMailStore, type MailStore } from '../../store/mail-db'
import { deleteMessages, getMessage } from '../../store/messages'
import { ledgerRows } from '../../store/pop3-ledger'
import type { CoreApi } from '../engine/core-api'
import { loadFullPop3Message } from './load-full-message'
import { commitDownloaded } from './store-downloaded'
import { ensureLocalFolders } from './local-folders'

const stores: MailStore[] = []
afterEach(() => {
  for (const s of stores.splice(0)) s.close()
})

const whole = new TextEncoder().encode(`Subject: big\r\n\r\n${'line of the long body\r\n'.repeat(50)}`)
const top = whole.subarray(0, 40)

async function sha256(b: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', b as Uint8Array<ArrayBuffer>)
  return Array.from(new Uint8Array(digest), (x) => x.toString(16).padStart(2, '0')).join('')
}

/** Core with one message on the server (`uid-1`), answering what "load the full message" asks. */
async function serverCore(): Promise<CoreApi> {
  const hash = await sha256(whole)
  const answers: Record<string, (params: unknown, onChunk?: (c: unknown) => void) => unknown> = {
    'pop3.open': () => ({ sessionId: 's', capabilities: [], uidl: true, spool: {} }),
    'pop3.list': () => ({ idKind: 'uidl', messages: [{ n: 1, id: 'uid-1' }] }),
    'pop3.sizes': () => ({ sizes: [{ n: 1, size: whole.byteLength }] }),
    'pop3.retr': (_p, onChunk) => {
      const chunk: ChunkOf<'pop3.retr'> = {
        n: 1,
        bytes: whole,
        end: true,
        size: whole.byteLength,
        sha256: hash,
      }
      onChunk?.(chunk)
      return { count: 1, bytes: whole.byteLength }
    },
    'pop3.quit': () => ({ ok: true }),
    'pop3.close': () => ({ ok: true }),
  }
  return {
    call: (async (method: string, params: unknown, opts?: { onChunk?: (c: unknown) => void }) =>
      answers[method]!(params, opts?.onChunk)) as CoreApi['call'],
    on: () => ({ dispose: () => undefined }),
  }
}

/** A POP3 message stored as headers only (above the size limit). */
async function headersOnly(name: string) {
  const store = await openMailStore(name)
  stores.push(store)
  await store.durable.accounts.add({ id: 'p', kind: 'pop3', name: 'ISP', email: 'me@isp', position: 0 })
  const inbox = await ensureLocalFolders(store.durable, 'p')
  const message = { id: 'uid-1', raw: top, size: whole.byteLength, sha256: null, full: false }
  const [id] = (await commitDownloaded(store, 'p', inbox.id, [message])).ids
  return { store, row: (await getMessage(store.fast, id!))! }
}

describe('loadFullPop3Message', () => {
  it('replaces the headers with the whole message and marks the ledger row fully stored', async () => {
    const { store, row } = await headersOnly('load-full-1')
    await loadFullPop3Message(store, await serverCore(), row)
    const after = (await getMessage(store.fast, row.id!))!
    expect(after.bodyState).toBe('full')
    expect(await readBody(store.fast, after)).toEqual(whole)
    expect((await ledgerRows(store.fast, 'p', ['uid-1']))[0]).toMatchObject({ fullStored: true })
  })

  it('a message deleted while its whole text is appended stays deleted, and its ledger row is not marked', async () => {
    const { store, row } = await headersOnly('load-full-2')
    const gap = new BodyStoreWithGap(store, () => deleteMessages(store.durable, [row.id!]))
    await loadFullPop3Message({ ...store, bodies: gap }, await serverCore(), row)
    expect(await getMessage(store.fast, row.id!)).toBeUndefined()
    // Not "fully stored": nothing here holds the whole message, so no retention may count on it.
    expect((await ledgerRows(store.fast, 'p', ['uid-1']))[0]).toMatchObject({ fullStored: false })
    gap.close()
  })
})
