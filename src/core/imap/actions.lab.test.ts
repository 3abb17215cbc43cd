import type { ImapFlow } from 'imapflow'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LabTools } from '../../lab/lab'
import { MailError } from '../../shared/errors'
import { appendMessage } from './append'
import { closeQuietly, connectImap } from './connect'
import { deleteMessages } from './delete-messages'
import { fetchMessageSource, fetchMessageSources } from './fetch-source'
import { addFlags, removeFlags, setFlags } from './flags'
import { labAccount, useLab, type LabHandle } from './lab-fixture'
import { listFolders } from './list-folders'
import { createFolder, deleteFolder, renameFolder } from './manage-folders'
import { moveMessages } from './move'

let handle: LabHandle
let lab: LabTools
let client: ImapFlow
let other: ImapFlow

function message(n: number, extra = ''): Buffer {
  return Buffer.from(
    [
      `From: Bob Example <bob@lab.test>`,
      `To: bob@lab.test`,
      `Subject: Action test ${n}`,
      `Message-ID: <action-${n}-${extra}@lab.test>`,
      `Date: Mon, 1 Jan 2024 10:00:0${n % 10} +0000`,
      'Content-Type: text/plain; charset=utf-8',
      '',
      `Body ${n} ${'x'.repeat(n * 10)}`,
      '',
    ].join('\r\n'),
  )
}

/** UIDs in a folder as the other device sees them. */
async function uidsOf(folder: string): Promise<number[]> {
  const lock = await other.getMailboxLock(folder)
  try {
    const found = await other.search({ all: true }, { uid: true })
    return Array.isArray(found) ? found.sort((a, b) => a - b) : []
  } finally {
    lock.release()
  }
}

async function flagsOf(folder: string, uid: number): Promise<string[]> {
  const lock = await other.getMailboxLock(folder)
  try {
    const msg = await other.fetchOne(String(uid), { flags: true }, { uid: true })
    // \Recent is per session (and gone in IMAP4rev2, RFC 9051 §2.3.2): not part of the stored state.
    return msg === false ? [] : [...(msg.flags ?? [])].filter((f) => f !== '\\Recent').sort()
  } finally {
    lock.release()
  }
}

beforeAll(async () => {
  handle = await useLab()
  lab = handle.lab
  client = await connectImap(labAccount(lab, 'bob'))
  other = await lab.otherDevice('bob')
})
afterAll(async () => {
  await other?.logout()
  if (client) await closeQuietly(client)
  await handle?.release()
})

describe('listFolders', () => {
  it('lists INBOX first and the special-use folders with their RFC 6154 use and STATUS', async () => {
    await lab.deliver('bob', message(1, 'list'))
    const folders = await listFolders(client)
    expect(folders[0]).toMatchObject({
      path: 'INBOX',
      specialUse: '\\Inbox',
      selectable: true,
      parentPath: null,
    })
    const byUse = Object.fromEntries(folders.filter((f) => f.specialUse).map((f) => [f.specialUse, f.path]))
    expect(byUse).toMatchObject({
      '\\Inbox': 'INBOX',
      '\\Sent': 'Sent',
      '\\Drafts': 'Drafts',
      '\\Trash': 'Trash',
      '\\Junk': 'Junk',
      '\\Archive': 'Archive',
    })
    for (const f of folders.filter((x) => x.specialUse && x.specialUse !== '\\Inbox')) {
      expect(f.specialUseSource).toBe('server')
      expect(f.subscribed).toBe(true)
    }
    const inbox = folders[0]!
    // bob's INBOX is shared with other suites on the shared lab: compare with what another client sees.
    const seen = await other.status('INBOX', { messages: true, unseen: true, uidNext: true })
    expect(seen).not.toBe(false)
    expect(inbox.status?.messages).toBeGreaterThanOrEqual(1)
    expect(inbox.status).toMatchObject({
      messages: seen && seen.messages,
      unseen: seen && seen.unseen,
      uidNext: seen && seen.uidNext,
    })
    expect(inbox.status?.uidValidity).toBe(await lab.uidValidity('bob', 'INBOX'))
    expect(BigInt(inbox.status?.highestModseq ?? '0')).toBeGreaterThan(0n)
  })

  it('creates, renames and deletes nested folders, idempotently', async () => {
    expect(await createFolder(client, 'Projects/Alpha')).toEqual({ applied: true, path: 'Projects/Alpha' })
    expect(await createFolder(client, 'Projects/Alpha')).toEqual({ applied: false, reason: 'exists' })
    const alpha = (await listFolders(client)).find((f) => f.path === 'Projects/Alpha')
    expect(alpha).toMatchObject({ name: 'Alpha', parentPath: 'Projects', delimiter: '/', specialUse: null })
    expect(await renameFolder(client, 'Projects/Alpha', 'Projects/Beta')).toEqual({
      applied: true,
      path: 'Projects/Beta',
    })
    expect(await renameFolder(client, 'Projects/Alpha', 'Projects/Beta')).toEqual({
      applied: false,
      reason: 'gone',
    })
    expect(await deleteFolder(client, 'Projects/Beta')).toEqual({ applied: true, path: 'Projects/Beta' })
    expect(await deleteFolder(client, 'Projects/Beta')).toEqual({ applied: false, reason: 'gone' })
    expect((await listFolders(client)).map((f) => f.path)).not.toContain('Projects/Beta')
  })
})

describe('message actions', () => {
  it('sets, adds and removes flags idempotently; a vanished UID is "gone", not an error', async () => {
    await createFolder(client, 'FlagBox')
    for (let n = 1; n <= 3; n++) await lab.deliver('bob', message(n, 'flags'), { folder: 'FlagBox' })
    const [a, b] = await uidsOf('FlagBox')
    for (let i = 0; i < 2; i++) {
      expect(await addFlags(client, 'FlagBox', [a!, b!], ['\\Seen', '\\Flagged'])).toEqual({
        applied: true,
        uids: [a, b],
        gone: [],
      })
    }
    expect(await flagsOf('FlagBox', a!)).toEqual(['\\Flagged', '\\Seen'])
    await removeFlags(client, 'FlagBox', [a!], ['\\Flagged'])
    expect(await flagsOf('FlagBox', a!)).toEqual(['\\Seen'])
    await setFlags(client, 'FlagBox', [b!], ['\\Answered'])
    expect(await flagsOf('FlagBox', b!)).toEqual(['\\Answered'])

    // Another device expunges b: flagging it again is reported as gone, flagging a+b applies to a only.
    await other.mailboxOpen('FlagBox')
    await other.messageDelete(String(b), { uid: true })
    expect(await addFlags(client, 'FlagBox', [b!], ['\\Seen'])).toEqual({
      applied: false,
      reason: 'gone',
      uids: [],
      gone: [b],
    })
    expect(await addFlags(client, 'FlagBox', [a!, b!], ['\\Flagged'])).toEqual({
      applied: true,
      uids: [a],
      gone: [b],
    })
  })

  it('moves with UID MOVE and returns the COPYUID map; a replayed move is "gone"', async () => {
    await createFolder(client, 'MoveSrc')
    await createFolder(client, 'MoveDst')
    for (let n = 1; n <= 4; n++) await lab.deliver('bob', message(n, 'move'), { folder: 'MoveSrc' })
    const src = await uidsOf('MoveSrc')
    const moving = src.slice(0, 2)
    const res = await moveMessages(client, 'MoveSrc', moving, 'MoveDst')
    if (!res.applied) throw new Error('not applied')
    expect(res.uids).toEqual(moving)
    const dst = await uidsOf('MoveDst')
    expect(res.uidMap).toEqual(moving.map((u, i) => [u, dst[i]]))
    expect(res.destinationUidValidity).toBe(await lab.uidValidity('bob', 'MoveDst'))
    expect(await uidsOf('MoveSrc')).toEqual(src.slice(2))
    expect(await moveMessages(client, 'MoveSrc', moving, 'MoveDst')).toMatchObject({
      applied: false,
      reason: 'gone',
    })
    expect(await uidsOf('MoveDst')).toHaveLength(2)
  })

  it('deletes to Trash, and in Trash expunges exactly the given UIDs (other \\Deleted mail stays)', async () => {
    await createFolder(client, 'DelBox')
    for (let n = 1; n <= 3; n++) await lab.deliver('bob', message(n, 'del'), { folder: 'DelBox' })
    const [x, y, z] = await uidsOf('DelBox')
    const trashBefore = await uidsOf('Trash')
    const moved = await deleteMessages(client, 'DelBox', [x!])
    expect(moved).toMatchObject({ applied: true, destination: 'Trash', uids: [x] })
    expect(await uidsOf('DelBox')).toEqual([y, z])
    const trashAfter = await uidsOf('Trash')
    expect(trashAfter).toHaveLength(trashBefore.length + 1)
    const inTrash = trashAfter.at(-1)!

    // A message someone else marked \Deleted but did not expunge must survive our expunge.
    await lab.deliver('bob', message(9, 'keep'), { folder: 'Trash' })
    const keep = (await uidsOf('Trash')).at(-1)!
    await other.mailboxOpen('Trash')
    await other.messageFlagsAdd(String(keep), ['\\Deleted'], { uid: true })
    expect(await deleteMessages(client, 'Trash', [inTrash])).toMatchObject({
      applied: true,
      destination: null,
      expunged: true,
    })
    expect(await uidsOf('Trash')).toContain(keep)
    expect(await uidsOf('Trash')).not.toContain(inTrash)
    expect(await deleteMessages(client, 'Trash', [inTrash])).toMatchObject({ applied: false, reason: 'gone' })
  })

  it('appends with APPENDUID and does not append the same Message-ID twice', async () => {
    const raw = message(5, 'append')
    const first = await appendMessage(client, 'Drafts', raw, {
      flags: ['\\Draft', '\\Seen'],
      messageId: '<action-5-append@lab.test>',
    })
    if (!first.applied) throw new Error('not applied')
    expect(first.uid).toBe((await uidsOf('Drafts')).at(-1))
    expect(first.uidValidity).toBe(await lab.uidValidity('bob', 'Drafts'))
    expect(await flagsOf('Drafts', first.uid!)).toEqual(['\\Draft', '\\Seen'])
    const again = await appendMessage(client, 'Drafts', raw, { messageId: '<action-5-append@lab.test>' })
    expect(again).toEqual({ applied: false, reason: 'exists', uid: first.uid })
    expect(await uidsOf('Drafts')).toHaveLength(1)
    const missing = await appendMessage(client, 'No/Such/Folder', raw).catch((e: unknown) => e)
    expect(missing).toBeInstanceOf(MailError)
    expect((missing as MailError).code).toBe('NOT_FOUND')
  })

  it('does not append a message without Message-ID twice when asked to look for the same bytes', async () => {
    await createFolder(client, 'NoIdBox')
    // Bare LF line ends: the server counts and may store them as CRLF, and the copy must still be found.
    const raw = Buffer.from('From: a@lab.test\nSubject: No id\n\nSame size, different bytes: A\n')
    const sameSize = Buffer.from('From: a@lab.test\nSubject: No id\n\nSame size, different bytes: B\n')
    const first = await appendMessage(client, 'NoIdBox', raw, { findSameBytes: true })
    if (!first.applied) throw new Error('not applied')
    const twin = await appendMessage(client, 'NoIdBox', sameSize, { findSameBytes: true })
    if (!twin.applied) throw new Error('a different message of the same size was taken for the first')
    expect(await appendMessage(client, 'NoIdBox', raw, { findSameBytes: true })).toEqual({
      applied: false,
      reason: 'exists',
      uid: first.uid,
    })
    expect(await uidsOf('NoIdBox')).toEqual([first.uid, twin.uid])
    // Without the option the caller asked for a second copy and gets one.
    expect((await appendMessage(client, 'NoIdBox', raw)).applied).toBe(true)
    // Asked of Dovecot itself: the other session, which has the folder selected, may not have been told yet.
    const status = await lab.doveadm(['-f', 'flow', 'mailbox', 'status', '-u', 'bob', 'messages', 'NoIdBox'])
    expect(status.stdout.trim()).toBe('NoIdBox messages=3')
  })

  it('streams a message source byte-exact without setting \\Seen, and batches with "gone" entries', async () => {
    await createFolder(client, 'SrcBox')
    const big = Buffer.concat([message(7, 'src'), Buffer.from('y'.repeat(700_000) + '\r\n')])
    await lab.deliver('bob', big, { folder: 'SrcBox' })
    const [uid] = await uidsOf('SrcBox')
    const chunks: Buffer[] = []
    for await (const chunk of fetchMessageSource(client, 'SrcBox', uid!, { chunkSize: 64 * 1024 }))
      chunks.push(chunk)
    expect(chunks.length).toBeGreaterThan(1)
    const got = Buffer.concat(chunks)
    // LMTP delivery prepends Return-Path/Delivered-To/Received; the message itself must follow unchanged.
    expect(got.subarray(got.length - big.length).equals(big)).toBe(true)
    expect(await flagsOf('SrcBox', uid!)).toEqual([])

    const batch = []
    for await (const m of fetchMessageSources(client, 'SrcBox', [uid!, 999])) batch.push(m)
    expect(batch.map((m) => ('gone' in m ? 'gone' : m.source.length))).toEqual([got.length, 'gone'])
    const err = await (async () => {
      for await (const _ of fetchMessageSource(client, 'SrcBox', 999)) void _
    })().catch((e: unknown) => e)
    expect((err as MailError).code).toBe('NOT_FOUND')
  })
})
