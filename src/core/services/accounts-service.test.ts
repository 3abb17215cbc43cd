import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { EventData } from '../../shared/contract'
import type { NewAccount, ServerSettings } from '../../shared/model/account'
import { MailError } from '../../shared/errors'
import { createCore, type Core } from '../create-core'
import { connectOverMessageChannel, recordingLogger } from '../rpc/test-kit'
import { createFileKeyCipher } from '../secrets/file-key-cipher'
import type { ServerProbes } from './accounts-service'
import { Pop3Spool } from '../pop3/message-spool'

const PASSWORD = 'correct horse battery staple'

const workImap: NewAccount = {
  kind: 'imap',
  name: 'Work',
  email: 'me@example.org',
  incoming: { host: 'imap.example.org', port: 993, tls: 'implicit', username: 'me' },
  smtp: { host: 'smtp.example.org', port: 465, tls: 'implicit', username: 'me' },
}

let dir: string
let core: Core
const probeCalls: { protocol: string; server: ServerSettings; password: string; ca: string[] | undefined }[] =
  []

/** Records what the service passes to the protocol clients; the real probes are tested against the lab. */
const recordingProbes: ServerProbes = {
  imap: async (server, password, ca) => (
    probeCalls.push({ protocol: 'imap', server, password, ca }),
    ['IMAP4rev1']
  ),
  pop3: async (server, password, ca) => (
    probeCalls.push({ protocol: 'pop3', server, password, ca }),
    ['UIDL']
  ),
  smtp: async (server, password, ca) => (
    probeCalls.push({ protocol: 'smtp', server, password, ca }),
    ['AUTH']
  ),
}

async function startCore(): Promise<Core> {
  return createCore({
    dataDir: join(dir, 'data'),
    mode: 'test',
    secretCipher: await createFileKeyCipher(join(dir, 'data')),
    version: '1.0.0',
    logger: recordingLogger(),
    probes: recordingProbes,
  })
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'harbor-accounts-'))
  probeCalls.length = 0
  core = await startCore()
})
afterEach(async () => {
  await core.dispose()
  await rm(dir, { recursive: true, force: true })
})

describe('accounts service', () => {
  it('adds, lists, updates and removes accounts over RPC, announcing each change', async () => {
    const { client } = connectOverMessageChannel(core.rpc)
    const changes: EventData<'accounts.changed'>[] = []
    client.on('accounts.changed', (e) => changes.push(e))

    const { account } = await client.call('accounts.add', {
      account: workImap,
      secrets: { incomingPassword: PASSWORD },
    })
    expect(account.id).toMatch(/^[0-9a-f-]{36}$/)
    expect(account).toMatchObject({
      kind: 'imap',
      name: 'Work',
      bodyPolicy: { kind: 'recent-days', days: 30 },
    })
    expect((await client.call('accounts.list', {})).accounts.map((a) => a.name)).toEqual(['Work'])

    await client.call('accounts.update', { account: { ...account, name: 'Office' } })
    expect((await client.call('accounts.list', {})).accounts[0]?.name).toBe('Office')
    expect(await core.accounts.password(account.id, 'incoming')).toBe(PASSWORD)

    expect(await client.call('accounts.remove', { id: account.id })).toEqual({ removed: true })
    expect(await client.call('accounts.remove', { id: account.id })).toEqual({ removed: false })
    expect((await client.call('accounts.list', {})).accounts).toEqual([])
    await expect(core.accounts.password(account.id, 'incoming')).rejects.toMatchObject({
      code: 'AUTH_FAILED',
    })
    await expect.poll(() => changes.length).toBe(3)
    expect(changes.every((c) => c.ids[0] === account.id)).toBe(true)
  })

  it("removing a POP3 account deletes core's safety copies of its mail, and only its own", async () => {
    const { client } = connectOverMessageChannel(core.rpc)
    const pop3: NewAccount = {
      ...workImap,
      kind: 'pop3',
      incoming: { ...workImap.incoming, port: 995 },
    }
    const add = async (name: string): Promise<string> =>
      (
        await client.call('accounts.add', {
          account: { ...pop3, name },
          secrets: { incomingPassword: PASSWORD },
        })
      ).account.id
    const [gone, kept] = [await add('Old POP3'), await add('Other POP3')]
    // Copies as core makes them before a DELE (durable, listed in the account's spool state).
    const writer = new Pop3Spool(join(dir, 'data'))
    const bytes = new TextEncoder().encode('Subject: kept\r\n\r\nbody\r\n')
    for (const id of [gone, kept]) {
      await writer.keep(id, 'session', [{ id: 'uidl-1', heldId: 'uidl-1' }], async () => bytes)
    }

    expect(await client.call('accounts.remove', { id: gone })).toEqual({ removed: true })
    // A fresh reader sees only what is on disk now.
    const reader = new Pop3Spool(join(dir, 'data'))
    expect(await reader.has(gone, 'uidl-1')).toBe(false)
    expect(await reader.has(kept, 'uidl-1')).toBe(true)
    expect(await reader.read(kept, 'uidl-1')).toEqual(Buffer.from(bytes))
  })

  it('keeps passwords out of accounts.json and off the wire, and keeps accounts across restarts', async () => {
    const { client } = connectOverMessageChannel(core.rpc)
    const { account } = await client.call('accounts.add', {
      account: workImap,
      secrets: { incomingPassword: PASSWORD, smtpPassword: 'smtp-only-secret' },
    })
    const onDisk = await readFile(join(dir, 'data', 'accounts.json'), 'utf8')
    const secretsOnDisk = await readFile(join(dir, 'data', 'secrets.json'), 'utf8')
    for (const text of [onDisk, secretsOnDisk, JSON.stringify(account)]) {
      expect(text).not.toContain(PASSWORD)
      expect(text).not.toContain('smtp-only-secret')
    }
    await core.dispose()
    core = await startCore()
    expect((await core.accounts.list()).map((a) => a.id)).toEqual([account.id])
    expect(await core.accounts.password(account.id, 'smtp')).toBe('smtp-only-secret')
  })

  it('uses the incoming password for SMTP when no separate one was given', async () => {
    const added = await core.accounts.add(workImap, { incomingPassword: PASSWORD })
    expect(await core.accounts.password(added.id, 'smtp')).toBe(PASSWORD)
  })

  it('refuses an unencrypted server unless plaintext was explicitly allowed', async () => {
    const { client } = connectOverMessageChannel(core.rpc)
    const plain = { ...workImap, incoming: { ...workImap.incoming, tls: 'none' as const, port: 143 } }
    const error = await client
      .call('accounts.add', { account: plain, secrets: { incomingPassword: 'x' } })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(MailError)
    expect(error).toMatchObject({ code: 'TLS_REQUIRED' })
    expect((error as MailError).message).toContain('imap.example.org')
    const allowed = { ...plain, incoming: { ...plain.incoming, allowPlaintext: true } }
    const { account } = await client.call('accounts.add', {
      account: allowed,
      secrets: { incomingPassword: 'x' },
    })
    expect(account.incoming.allowPlaintext).toBe(true)
  })

  it('rejects an update of an account that does not exist with NOT_FOUND', async () => {
    const { client } = connectOverMessageChannel(core.rpc)
    const ghost = { ...workImap, id: 'no-such-account', bodyPolicy: { kind: 'all' as const } }
    await expect(client.call('accounts.update', { account: ghost })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    })
  })

  it('tests a server with the given settings and the trusted CA, without saving anything', async () => {
    const { client } = connectOverMessageChannel(core.rpc)
    const result = await client.call('accounts.test', {
      protocol: 'pop3',
      server: { host: 'pop.example.org', port: 995, tls: 'implicit', username: 'me' },
      password: PASSWORD,
      trustedCaPem: '-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----',
    })
    expect(result).toEqual({ ok: true, capabilities: ['UIDL'] })
    expect(probeCalls).toHaveLength(1)
    expect(probeCalls[0]).toMatchObject({
      protocol: 'pop3',
      password: PASSWORD,
      server: { allowPlaintext: false },
    })
    expect(probeCalls[0]?.ca?.[0]).toContain('BEGIN CERTIFICATE')
    expect(await core.accounts.list()).toEqual([])
  })
})
