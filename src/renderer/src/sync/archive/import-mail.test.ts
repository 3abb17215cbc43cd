import 'fake-indexeddb/auto'
import { afterEach, describe, expect, it } from 'vitest'
import { mboxEntry, writeMbox } from '../../../../shared/mail-formats/mbox'
import { openMailStore, type MailStore } from '../../store/mail-db'
import { folderId } from '../../store/rows'
import { createLocalFolder, ensureLocalFolders } from '../pop3/local-folders'
import { exportEmlFiles, exportMbox } from './export-mail'
import { importMail, type ImportProgress, type ImportSource } from './import-mail'
import { readBodies } from '../../store/bodies/body-store'
import { allMessages, countFolderMessages, folderMessages, updateMessage } from '../../store/messages'

const enc = (s: string): Uint8Array => new TextEncoder().encode(s)
const mail = (n: number, id: string | null = `<m${n}@x>`): Uint8Array =>
  enc(
    `From: a@x\r\nSubject: m${n}\r\n${id ? `Message-ID: ${id}\r\n` : ''}Date: Mon, 5 Jan 2026 10:00:${String(n % 60).padStart(2, '0')} +0000\r\n\r\nFrom body ${n}\r\n`,
  )

/** A file given to the importer in chunks of `chunk` bytes, as a browser File's stream does. */
function source(name: string, bytes: Uint8Array, chunk = 1000, failAt?: number): ImportSource {
  return {
    name,
    size: bytes.length,
    stream: () => {
      let at = 0
      return new ReadableStream<Uint8Array>({
        pull(controller) {
          if (failAt !== undefined && at >= failAt) controller.error(new Error('the disk went away'))
          else if (at >= bytes.length) controller.close()
          else controller.enqueue(bytes.slice(at, (at += chunk)))
        },
      })
    },
  }
}

let counter = 0
const stores: MailStore[] = []
afterEach(() => {
  for (const s of stores.splice(0)) s.close()
})
async function store(): Promise<MailStore> {
  const s = await openMailStore(`import-test-${++counter}`)
  stores.push(s)
  await s.durable.accounts.add({ id: 'p', kind: 'pop3', name: 'Old ISP', email: 'me@isp', position: 0 })
  await ensureLocalFolders(s.durable, 'p')
  return s
}

async function folderBytes(s: MailStore, id: string): Promise<number[][]> {
  const rows = (await folderMessages(s.fast, id)).sort((a, b) => a.id! - b.id!)
  const bodies = await readBodies(s.fast, rows)
  return bodies.map((b) => [...b!])
}

describe('importing mbox and .eml into a local folder', () => {
  it('export → import is byte-identical; importing again skips every message as a duplicate', async () => {
    const s = await store()
    const inbox = folderId('p', 'INBOX')
    const originals = [mail(1), mail(2), mail(3, null), mail(4)]
    const first = await importMail(
      s,
      inbox,
      originals.map((m, i) => source(`m${i}.eml`, m)),
    )
    expect(first).toMatchObject({ imported: 4, duplicates: 0, malformed: 0, problems: [] })
    const { parts, exported } = await exportMbox(s, { folderId: inbox })
    expect(exported).toBe(4)
    const mbox = new Uint8Array(parts.flatMap((p) => [...p]))
    const target = await createLocalFolder(s.durable, 'p', null, 'Restored')
    const progress: ImportProgress[] = []
    const second = await importMail(s, target.id, [source('archive.mbox', mbox, 7)], (p) => progress.push(p))
    expect(second).toMatchObject({
      imported: 4,
      duplicates: 0,
      bytesRead: mbox.length,
      totalBytes: mbox.length,
    })
    expect(progress.at(-1)).toMatchObject({ imported: 4, bytesRead: mbox.length })
    expect((await folderBytes(s, target.id)).sort()).toEqual(originals.map((m) => [...m]).sort())
    const again = await importMail(s, target.id, [source('archive.mbox', mbox, 4096)])
    expect(again).toMatchObject({ imported: 0, duplicates: 4 })
    expect(await s.fast.folders.get(target.id)).toMatchObject({ total: 4 })
  })

  it('a message with a known Message-ID but other bytes is not a duplicate; repeats inside one file are', async () => {
    const s = await store()
    const inbox = folderId('p', 'INBOX')
    const edited = enc(new TextDecoder().decode(mail(1)).replace('From body 1', 'edited'))
    const file = writeMbox([{ raw: mail(1) }, { raw: edited }, { raw: mail(1) }])
    const report = await importMail(s, inbox, [source('a.mbox', file)])
    expect(report).toMatchObject({ imported: 2, duplicates: 1 })
  })

  it('a folder message whose bytes are not stored stands in for no other message (hashes stay with their rows)', async () => {
    const s = await store()
    const inbox = folderId('p', 'INBOX')
    expect(
      await importMail(s, inbox, [source('a.mbox', writeMbox([{ raw: mail(1) }, { raw: mail(2) }]))]),
    ).toMatchObject({
      imported: 2,
    })
    // The newer message (listed first) loses its stored bytes, as a headers-only row has none.
    const newer = (await folderMessages(s.fast, inbox)).find((r) => r.subject === 'm2')!
    expect(await updateMessage(s.fast, newer.id!, { body: undefined, bodyState: 'headers-only' })).toBe(1)
    const again = await importMail(s, inbox, [
      source('b.mbox', writeMbox([{ raw: mail(2) }, { raw: mail(1) }])),
    ])
    // m2's bytes cannot be compared with anything stored, so it comes in; m1's are stored: a duplicate.
    expect(again).toMatchObject({ imported: 1, duplicates: 1 })
  })

  it('imports into a folder of many messages in batches, finding duplicates in the folder for each batch', async () => {
    const s = await store()
    const inbox = folderId('p', 'INBOX')
    const many = Array.from({ length: 450 }, (_, i) => ({ raw: mail(i + 10) }))
    expect(await importMail(s, inbox, [source('a.mbox', writeMbox(many), 65536)])).toMatchObject({
      imported: 450,
    })
    // Half known, half new, in one file crossing several batches (200 messages each).
    const mixed = Array.from({ length: 450 }, (_, i) => ({ raw: mail(i % 2 === 0 ? i + 10 : i + 1000) }))
    const report = await importMail(s, inbox, [source('b.mbox', writeMbox(mixed), 65536)])
    expect(report).toMatchObject({ imported: 225, duplicates: 225 })
    expect(await countFolderMessages(s.fast, inbox)).toBe(675)
  })

  it('malformed input: not-mbox files, headerless messages and a read error are reported; what came before stays', async () => {
    const s = await store()
    const inbox = folderId('p', 'INBOX')
    const good = writeMbox(Array.from({ length: 300 }, (_, i) => ({ raw: mail(i) })))
    const withJunk = writeMbox([{ raw: mail(900) }, { raw: enc('this is no mail at all\r\n') }])
    const report = await importMail(s, inbox, [
      source('notes.txt', enc('just some text\nno mail here\n')),
      source('mixed.mbox', withJunk),
      source('broken.mbox', good, 1000, Math.floor(good.length / 2)),
    ])
    expect(report.malformed).toBe(2)
    expect(report.problems[0]).toMatch(/^notes\.txt is not an mbox file \(no line starts with "From "\)/)
    expect(report.problems[1]).toMatch(/^mixed\.mbox, message 2 \(at byte \d+\) is not a mail message/)
    expect(report.problems[2]).toMatch(
      /^broken\.mbox: reading stopped \(the disk went away\)\. Messages before that point were imported\./,
    )
    // 1 from mixed.mbox, and no more of broken.mbox than the messages that began before the failure
    // (the one cut off by it is not imported).
    const entries = Array.from({ length: 300 }, (_, i) => mboxEntry({ raw: mail(i) }).length)
    let begun = 0
    // The stream fails on the first read at or past the middle, so up to one 1000-byte chunk beyond it arrives.
    for (let at = 0; at < Math.floor(good.length / 2) + 1000; at += entries[begun++]!);
    expect(report.imported).toBeGreaterThan(100)
    expect(report.imported).toBeLessThanOrEqual(1 + begun)
    expect(await countFolderMessages(s.fast, inbox)).toBe(report.imported)
  })

  it('refuses a server folder, saying to choose a local one', async () => {
    const s = await store()
    await s.durable.folders.add({
      ...(await s.fast.folders.get(folderId('p', 'INBOX')))!,
      id: 'imapfolder',
      local: false,
      name: 'Work Inbox',
    })
    await expect(importMail(s, 'imapfolder', [])).rejects.toThrow(
      /local folders only \(Work Inbox is on a server\)/,
    )
  })

  it('exports selected messages as .eml files named by date and subject, with the stored bytes', async () => {
    const s = await store()
    await importMail(s, folderId('p', 'INBOX'), [source('x.eml', mail(7))])
    const ids = (await allMessages(s.fast)).map((r) => r.id!)
    const { files, skipped } = await exportEmlFiles(s, ids)
    expect(skipped).toBe(0)
    expect(files.map((f) => f.fileName)).toEqual([expect.stringMatching(/^2026-01-05 m7 \(\d+\)\.eml$/)])
    expect([...files[0]!.bytes]).toEqual([...mail(7)])
  })

  it('stops when the user says so: what was stored stays, and importing again adds only the rest', async () => {
    const s = await store()
    const inbox = folderId('p', 'INBOX')
    const originals = Array.from({ length: 900 }, (_, i) => mail(i + 1))
    const bytes = writeMbox(originals.map((raw) => ({ raw })))
    const stop = new AbortController()
    const stopped = await importMail(
      s,
      inbox,
      [source('big.mbox', bytes)],
      // The first stored batch (200 messages) is where the user clicks Stop.
      (p) => (p.imported > 0 ? stop.abort() : undefined),
      stop.signal,
    )
    expect(stopped.stopped).toBe(true)
    expect(stopped.imported).toBeGreaterThanOrEqual(200)
    expect(stopped.imported).toBeLessThan(900)
    expect(await countFolderMessages(s.fast, inbox)).toBe(stopped.imported)

    const rest = await importMail(s, inbox, [source('big.mbox', bytes)])
    expect(rest).toMatchObject({
      stopped: false,
      imported: 900 - stopped.imported,
      duplicates: stopped.imported,
    })
    expect(await countFolderMessages(s.fast, inbox)).toBe(900)
  })
})
