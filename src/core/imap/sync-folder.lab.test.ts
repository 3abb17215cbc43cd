import type { ImapFlow } from 'imapflow'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LabTools } from '../../lab/lab'
import { corpusForLab } from '../../lab/corpus'
import { closeQuietly, connectImap } from './connect'
import { fetchHeaders } from './fetch-headers'
import { labAccount, useLab, type LabHandle } from './lab-fixture'
import { listFolders } from './list-folders'
import { syncFolder, type FolderDiff, type LocalFolderState } from './sync-folder'

let handle: LabHandle
let lab: LabTools
let client: ImapFlow
let other: ImapFlow

beforeAll(async () => {
  handle = await useLab()
  lab = handle.lab
  client = await connectImap(labAccount(lab, 'dave'))
  other = await lab.otherDevice('dave')
})
afterAll(async () => {
  await other?.logout()
  if (client) await closeQuietly(client)
  await handle?.release()
})

/** A tiny cache: what the sync worker would keep for one folder. */
interface Cache {
  state: LocalFolderState
  flags: Map<number, string[]>
}

const sorted = (flags: Iterable<string>): string[] => [...flags].filter((f) => f !== '\\Recent').sort()

async function initialCache(folder: string): Promise<Cache> {
  const status = (await listFolders(client)).find((f) => f.path === folder)!.status!
  const flags = new Map<number, string[]>()
  for await (const b of fetchHeaders(client, folder, { snippets: false })) {
    for (const h of b.headers) flags.set(h.uid, sorted(h.flags))
  }
  const state = {
    uidValidity: status.uidValidity,
    uidNext: status.uidNext,
    highestModseq: status.highestModseq,
  }
  return { state: { ...state, knownUids: [...flags.keys()] }, flags }
}

/** The truth, as the other device sees it. */
async function serverView(folder: string): Promise<Map<number, string[]>> {
  const lock = await other.getMailboxLock(folder)
  try {
    const out = new Map<number, string[]>()
    for await (const m of other.fetch('1:*', { uid: true, flags: true }, { uid: true }))
      out.set(m.uid, sorted(m.flags ?? []))
    return out
  } finally {
    lock.release()
  }
}

function apply(cache: Cache, diff: FolderDiff): void {
  for (const uid of diff.vanished) cache.flags.delete(uid)
  for (const c of diff.flagChanges) cache.flags.set(c.uid, sorted(c.flags))
  for (const h of diff.newMessages) cache.flags.set(h.uid, sorted(h.flags))
  cache.state = {
    uidValidity: diff.uidValidity,
    uidNext: diff.uidNext,
    highestModseq: diff.highestModseq,
    knownUids: [...cache.flags.keys()],
  }
}

/** What another device does between two syncs: flag, unflag, keyword, expunge, new mail. */
async function otherDeviceChanges(folder: string, uids: number[]): Promise<void> {
  await other.mailboxOpen(folder)
  await other.messageFlagsAdd(`${uids[1]},${uids[2]}`, ['\\Flagged'], { uid: true })
  await other.messageFlagsSet(String(uids[3]), ['$Work', '\\Answered'], { uid: true })
  await other.messageFlagsRemove(String(uids[7]), ['\\Seen'], { uid: true })
  await other.messageFlagsAdd(String(uids[8]), ['\\Seen'], { uid: true })
  await other.messageDelete(`${uids[4]},${uids[5]}`, { uid: true })
  await other.mailboxClose()
  for (const { raw } of corpusForLab({
    count: 3,
    seed: 99,
    domain: lab.domain,
    users: ['dave'],
    size: 'small',
  })) {
    await lab.deliver('dave', raw, { folder })
  }
}

describe.each(['auto', 'condstore', 'full'] as const)('syncFolder (mode %s)', (mode) => {
  const folder = `Sync-${mode}`

  it('returns exactly what another device changed: flags, expunges, new mail; then nothing', async () => {
    const corpus = corpusForLab({ count: 12, seed: 3, domain: lab.domain, users: ['dave'], size: 'small' })
    // Every other message starts \Seen so there is something to remove.
    await lab.loadMaildir(
      'dave',
      folder,
      [...corpus].map((m, i) => ({ ...m, flags: i % 2 ? ['\\Seen' as const] : [] })),
    )
    const cache = await initialCache(folder)
    const before = new Map(cache.flags)
    const uids = [...cache.flags.keys()].sort((a, b) => a - b)
    await otherDeviceChanges(folder, uids)
    const truth = await serverView(folder)

    const diff = await syncFolder(client, folder, cache.state, { mode })
    expect(diff.method).toBe(mode === 'auto' ? 'qresync' : mode)
    expect(diff.uidValidityChanged).toBe(false)
    expect(diff.vanished).toEqual([uids[4], uids[5]])
    const expectedNew = [...truth.keys()].filter((u) => !before.has(u)).sort((a, b) => b - a)
    expect(expectedNew).toHaveLength(3)
    expect(diff.newMessages.map((h) => h.uid)).toEqual(expectedNew)
    expect(diff.newMessages.every((h) => h.subject !== '' && h.snippet !== null)).toBe(true)
    const changed = [...truth]
      .filter(([u, f]) => before.has(u) && before.get(u)!.join() !== f.join())
      .map(([u]) => u)
    expect(changed.sort((a, b) => a - b)).toEqual([uids[1], uids[2], uids[3], uids[7], uids[8]])
    if (mode === 'full') {
      // Without CONDSTORE every known message's flags come back; the cache compares.
      expect(diff.flagChanges.map((c) => c.uid)).toEqual([...truth.keys()].filter((u) => before.has(u)))
    } else {
      expect(diff.flagChanges.map((c) => c.uid)).toEqual(changed)
      expect(diff.flagChanges.every((c) => c.modseq !== undefined)).toBe(true)
    }
    for (const c of diff.flagChanges) expect(sorted(c.flags), `UID ${c.uid}`).toEqual(truth.get(c.uid))

    apply(cache, diff)
    expect(new Map([...cache.flags].sort((a, b) => a[0] - b[0]))).toEqual(truth)
    expect(diff.uidNext).toBe(Math.max(...truth.keys()) + 1)
    expect(diff.exists).toBe(truth.size)

    const again = await syncFolder(client, folder, cache.state, { mode })
    expect(again.newMessages).toEqual([])
    expect(again.vanished).toEqual([])
    if (mode !== 'full') expect(again.flagChanges).toEqual([])
  })
})

describe('syncFolder after a UIDVALIDITY reset', () => {
  it('reports uidValidityChanged and nothing else', async () => {
    const folder = 'Sync-reset'
    await lab.loadMaildir(
      'dave',
      folder,
      corpusForLab({ count: 5, seed: 8, domain: lab.domain, size: 'small' }),
    )
    const cache = await initialCache(folder)
    // The connection must not hold the folder open while doveadm changes it under Dovecot.
    await client.mailboxClose().catch(() => undefined)
    const next = await lab.resetUidValidity('dave', folder)
    const diff = await syncFolder(client, folder, cache.state)
    expect(diff).toMatchObject({ uidValidityChanged: true, uidValidity: next, newMessages: [], vanished: [] })
    expect(diff.flagChanges).toEqual([])
  })
})
