import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { EventData } from '../shared/contract'
import { MailError } from '../shared/errors'
import { PROTOCOL_VERSION } from '../shared/rpc/protocol'
import { createCore, type Core } from './create-core'
import { realServerProbes } from './server-probes'
import { connectOverMessageChannel, recordingLogger } from './rpc/test-kit'
import { createFileKeyCipher } from './secrets/file-key-cipher'

let dir: string
let core: Core
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'harbor-core-'))
  core = await createCore({
    dataDir: join(dir, 'data'),
    mode: 'web',
    secretCipher: await createFileKeyCipher(join(dir, 'data')),
    version: '4.5.6',
    probes: realServerProbes,
    logger: recordingLogger(),
  })
})
afterEach(async () => {
  await core.dispose()
  await rm(dir, { recursive: true, force: true })
})

describe('createCore', () => {
  it('greets each new connection with core.status ready and answers app.hello', async () => {
    const conn = connectOverMessageChannel(core.rpc)
    const statuses: EventData<'core.status'>[] = []
    conn.client.on('core.status', (s) => statuses.push(s))
    const before = Date.now()
    const hello = await conn.client.call('app.hello', { client: 'test' })
    expect(hello).toEqual({
      coreVersion: '4.5.6',
      protocolVersion: PROTOCOL_VERSION,
      platform: process.platform,
      mode: 'web',
    })
    expect(statuses).toHaveLength(1)
    expect(statuses[0]!.state).toBe('ready')
    expect(statuses[0]!.at).toBeLessThanOrEqual(Date.now())
    expect(statuses[0]!.at).toBeGreaterThan(before - 5000)
    conn.close()
  })

  it('keeps secrets encrypted under dataDir', async () => {
    await core.secrets.set('acct', 'pw')
    expect(await core.secrets.get('acct')).toBe('pw')
  })

  it('dispose tells clients it is stopping, then closes their connections', async () => {
    const conn = connectOverMessageChannel(core.rpc)
    const states: string[] = []
    conn.client.on('core.status', (s) => states.push(s.state))
    await conn.client.call('app.echo', { text: 'up' })
    const pending = conn.client.call('debug.count', { to: 100_000, delayMs: 5 })
    await core.dispose()
    const error: unknown = await pending.catch((e: unknown) => e)
    expect(error).toBeInstanceOf(MailError)
    expect((error as MailError).code).toBe('TRANSPORT_CLOSED')
    expect(states).toEqual(['ready', 'stopping'])
    expect(core.rpc.connectionCount).toBe(0)
  })
})
