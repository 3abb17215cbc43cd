import 'fake-indexeddb/auto'
import { afterEach, describe, expect, it } from 'vitest'
import { openMailStore, type MailStore } from '../../store/mail-db'
import { folderId } from '../../store/rows'
import { exportEml, exportFolderMbox, importEml, importMbox } from './folder-archive'
import { createLocalFolder, ensureLocalFolders } from './local-folders'
import { readBodies } from '../../store/bodies/body-store'
import { getMessages } from '../../store/messages'

const enc = (s: string): Uint8Array => new TextEncoder().encode(s)
let counter = 0
const stores: MailStore[] = []
afterEach(() => {
  for (const s of stores.splice(0)) s.close()
})

async function store(): Promise<MailStore> {
  const s = await openMailStore(`archive-test-${++counter}`)
  stores.push(s)
  await s.durable.accounts.add({ id: 'p', kind: 'pop3', name: 'Old ISP', email: 'me@isp', position: 0 })
  await ensureLocalFolders(s.durable, 'p')
  return s
}

const messages = [
  'From: a@x\r\nSubject: one\r\nDate: Mon, 5 Jan 2026 10:00:00 +0000\r\n\r\nFrom the top\r\n>From quoted\r\n',
  'From: b@x\nSubject: two (LF)\nDate: Tue, 6 Jan 2026 10:00:00 +0000\n\nbody\nFrom again\n',
  'From: c@x\r\nSubject: three, no final EOL\r\nDate: Wed, 7 Jan 2026 10:00:00 +0000\r\n\r\nend',
].map(enc)

describe('folder archive (mbox / eml)', () => {
  it('export → import into another local folder gives back byte-identical messages', async () => {
    const s = await store()
    const inbox = folderId('p', 'INBOX')
    await importEml(s, inbox, messages)
    const { mbox, exported, skipped } = await exportFolderMbox(s, inbox)
    expect([exported, skipped]).toEqual([3, 0])
    const target = await createLocalFolder(s.durable, 'p', null, 'Restored')
    const ids = await importMbox(s, target.id, mbox)
    expect(ids).toHaveLength(3)
    const bodies = await readBodies(
      s.fast,
      (await getMessages(s.fast, ids)).map((r) => r!),
    )
    expect(bodies.map((b) => [...b!])).toEqual(messages.map((m) => [...m]))
    const rows = await getMessages(s.fast, ids)
    expect(rows.map((r) => r!.subject)).toEqual(['one', 'two (LF)', 'three, no final EOL'])
    expect((await s.fast.folders.get(target.id))?.total).toBe(3)
    // Exporting the copy gives the same file again.
    expect([...(await exportFolderMbox(s, target.id)).mbox]).toEqual([...mbox])
  })

  it('exports one message as .eml with its exact bytes', async () => {
    const s = await store()
    const [id] = await importEml(s, folderId('p', 'INBOX'), [messages[0]!])
    const eml = await exportEml(s, id!)
    expect([...eml.bytes]).toEqual([...messages[0]!])
    expect(eml.fileName).toBe(`2026-01-05 one (${id}).eml`)
  })

  it('refuses to import into a folder that is not local', async () => {
    const s = await store()
    await s.durable.folders.put({
      ...(await s.durable.folders.get(folderId('p', 'INBOX')))!,
      id: 'imap-f',
      local: false,
    })
    await expect(importEml(s, 'imap-f', messages)).rejects.toThrow(/local folders/)
  })
})
