import type { ImapFlow } from 'imapflow'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { corpusForLab } from '../lab/corpus'
import { createTcpProxy, startLab, type Lab, type TcpProxy } from '../lab/lab'
import { labImapAccount } from '../lab/lab-accounts'
import { folderId } from '../renderer/src/store/rows'
import { cacheSnapshot, serverSnapshot, startSyncHarness, type SyncHarness } from './sync-harness'
import { allMessages } from '../renderer/src/store/messages'

const USER = 'resync'
const LISTS = 'Lists'

interface Command {
  verb: string
  args: string
}

/** IMAP commands as a client sends them: `tag VERB args` (UID commands as `UID FETCH` etc.). */
function commandsIn(text: string): Command[] {
  const out: Command[] = []
  for (const line of text.split('\r\n')) {
    const m = /^[A-Za-z0-9.]+ ((?:UID )?[A-Za-z]+)(?: (.*))?$/.exec(line)
    if (m) out.push({ verb: m[1]!.toUpperCase(), args: m[2] ?? '' })
  }
  return out
}

/** The mailbox a SELECT / EXAMINE names (first argument, quoted or not). */
function mailboxOf(c: Command): string {
  return (
    /^"((?:[^"\\]|\\.)*)"|^(\S+)/
      .exec(c.args)
      ?.slice(1)
      .find((x) => x !== undefined) ?? ''
  )
}

const OPENS = new Set(['SELECT', 'EXAMINE'])
const READS = new Set(['FETCH', 'UID FETCH', 'SEARCH', 'UID SEARCH', 'STATUS'])

/**
 * A pass with nothing changed must cost the server one LIST with STATUS (RFC 5819) and nothing per folder;
 * a change in any folder (new mail, another device's flag change or expunge) must still be found, and only
 * that folder opened. Real Dovecot behind a proxy that reads the plaintext IMAP commands (the account allows
 * plaintext on loopback for this), real core, the sync engine on fake-indexeddb.
 */
describe('IMAP resync with nothing changed: no SELECT, no FETCH; changes still found', () => {
  let lab: Lab
  let h: SyncHarness
  let proxy: TcpProxy
  let device: ImapFlow
  let accountId: string
  let sent = ''
  let statusRewrite: ((chunk: Buffer) => Buffer) | undefined

  /** The commands core sent during one pass of every account. */
  async function pass(): Promise<Command[]> {
    await h.engine.backgroundSettled()
    sent = ''
    await h.engine.syncAll()
    const commands = commandsIn(sent)
    // Whatever the pass started after it (snippets of new mail) is not counted.
    await h.engine.backgroundSettled()
    return commands
  }

  async function expectConverged(path: string): Promise<void> {
    const server = await serverSnapshot(device, path)
    const cache = await cacheSnapshot(h.store, accountId, path)
    expect({ path, uidValidity: cache.uidValidity }).toEqual({ path, uidValidity: server.uidValidity })
    expect({ path, flags: cache.messages }).toEqual({ path, flags: server.messages })
  }

  beforeAll(async () => {
    lab = await startLab({ users: [{ name: USER }] })
    await lab.loadMaildir(USER, 'INBOX', corpusForLab({ count: 200, seed: 3, size: 'small' }))
    await lab.loadMaildir(USER, LISTS, corpusForLab({ count: 100, seed: 4, size: 'small' }))
    proxy = await createTcpProxy({
      targetPort: lab.ports.imap,
      onData: (direction, chunk) => {
        if (direction === 'up') sent += chunk.toString('latin1')
      },
      rewrite: (direction, chunk) => (direction === 'down' && statusRewrite ? statusRewrite(chunk) : chunk),
    })
    h = await startSyncHarness()
    const params = labImapAccount(lab, USER)
    params.account.incoming = {
      host: lab.host,
      port: proxy.port,
      tls: 'none',
      allowPlaintext: true,
      username: lab.user(USER).address,
    }
    accountId = (await h.connection.client.call('accounts.add', params)).account.id
    device = await lab.otherDevice(USER)
    const first = await pass()
    // The proxy does see the commands: the first pass fetched both folders.
    expect(first.filter((c) => OPENS.has(c.verb)).map(mailboxOf)).toEqual(
      expect.arrayContaining(['INBOX', LISTS]),
    )
    expect(first.some((c) => c.verb === 'UID FETCH' || c.verb === 'FETCH')).toBe(true)
  })
  afterAll(async () => {
    await device?.logout().catch(() => undefined)
    await h?.dispose()
    await proxy?.close()
    await lab?.stop()
  })
  beforeEach(async () => {
    // Another device's session may have been kept busy: make sure its changes are all on the server.
    await device.noop()
  })

  it('a pass with nothing changed sends one LIST with STATUS and opens or reads no folder', async () => {
    const before = await allMessages(h.store.fast)
    const commands = await pass()
    expect(commands.filter((c) => OPENS.has(c.verb) || READS.has(c.verb))).toEqual([])
    const lists = commands.filter((c) => c.verb === 'LIST')
    expect(lists).toHaveLength(1)
    expect(lists[0]!.args).toMatch(/RETURN \(.*STATUS \(.*HIGHESTMODSEQ/)
    expect(await allMessages(h.store.fast)).toEqual(before)
  })

  it('new mail in one folder: that folder alone is opened, and the message is stored once', async () => {
    await device.append(
      LISTS,
      'From: x@lab.test\r\nSubject: new elsewhere\r\nMessage-ID: <resync-new@lab.test>\r\n\r\nhi\r\n',
    )
    const commands = await pass()
    expect([...new Set(commands.filter((c) => OPENS.has(c.verb)).map(mailboxOf))]).toEqual([LISTS])
    const rows = (await allMessages(h.store.fast)).filter((r) => r.subject === 'new elsewhere')
    expect(rows).toHaveLength(1)
    await expectConverged(LISTS)
  })

  it("another device's flag change is found through HIGHESTMODSEQ, in that folder alone", async () => {
    const lock = await device.getMailboxLock('INBOX')
    try {
      await device.messageFlagsAdd('1:5', ['\\Flagged'], { uid: true })
      await device.messageFlagsRemove('6:8', ['\\Seen'], { uid: true })
    } finally {
      lock.release()
    }
    const commands = await pass()
    expect([...new Set(commands.filter((c) => OPENS.has(c.verb)).map(mailboxOf))]).toEqual(['INBOX'])
    await expectConverged('INBOX')
  })

  it("another device's expunge is found, in that folder alone", async () => {
    const lock = await device.getMailboxLock(LISTS)
    try {
      await device.messageDelete('10:14', { uid: true })
    } finally {
      lock.release()
    }
    const commands = await pass()
    expect([...new Set(commands.filter((c) => OPENS.has(c.verb)).map(mailboxOf))]).toEqual([LISTS])
    await expectConverged(LISTS)
    await expectConverged('INBOX')
  })

  it('an expunge a server hides from HIGHESTMODSEQ (CONDSTORE without QRESYNC may) is found by the count', async () => {
    const cached = await h.store.fast.folders.get(folderId(accountId, LISTS))
    const modseq = cached?.highestModseq
    expect(modseq).toMatch(/^\d+$/)
    // The proxy makes Dovecot's LIST-STATUS answer for the folder with the mod-sequence the cache holds, as a
    // server that does not raise it on expunge would; everything else passes unchanged. Lines are rewritten
    // whole: a partial last line waits for the chunk that completes it.
    let held = Buffer.alloc(0)
    let rewritten = 0
    statusRewrite = (chunk) => {
      const text = Buffer.concat([held, chunk]).toString('latin1')
      const end = Math.max(0, text.lastIndexOf('\r\n') + 2)
      held = Buffer.from(text.slice(end), 'latin1')
      const lines = text
        .slice(0, end)
        .replace(
          new RegExp(`^(\\* STATUS "?${LISTS}"? \\(.*HIGHESTMODSEQ )\\d+`, 'gm'),
          (_m, head: string) => {
            rewritten += 1
            return `${head}${modseq!}`
          },
        )
      return Buffer.from(lines, 'latin1')
    }
    try {
      const lock = await device.getMailboxLock(LISTS)
      try {
        await device.messageDelete('20:22', { uid: true })
      } finally {
        lock.release()
      }
      const commands = await pass()
      // The server did raise it (Dovecot has QRESYNC); the folder was found through its count alone.
      expect(rewritten).toBeGreaterThan(0)
      expect([...new Set(commands.filter((c) => OPENS.has(c.verb)).map(mailboxOf))]).toEqual([LISTS])
      await expectConverged(LISTS)
    } finally {
      statusRewrite = undefined
    }
  })

  it('after those changes, a pass with nothing new again opens no folder', async () => {
    const commands = await pass()
    expect(commands.filter((c) => OPENS.has(c.verb) || READS.has(c.verb))).toEqual([])
  })
})
