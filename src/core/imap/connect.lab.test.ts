import { createServer } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTcpProxy, startLab, type LabTools } from '../../lab/lab'
import { MailError } from '../../shared/errors'
import { featuresOf } from './capabilities'
import { closeQuietly, connectImap } from './connect'
import { mapErrors } from './errors'
import { labAccount, useLab, type LabHandle } from './lab-fixture'

let handle: LabHandle
let lab: LabTools

beforeAll(async () => {
  handle = await useLab()
  lab = handle.lab
})
afterAll(() => handle?.release())

async function expectMailError(p: Promise<unknown>, code: MailError['code']): Promise<MailError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(MailError)
  const mailError = err as MailError
  expect(mailError.code, `${mailError.message} / ${mailError.detail ?? ''}`).toBe(code)
  expect(mailError.message.length).toBeGreaterThan(20)
  return mailError
}

async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('no port')
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return address.port
}

describe('connectImap against the lab', () => {
  it('connects over implicit TLS and over mandatory STARTTLS, trusting only the lab CA', async () => {
    for (const over of [{}, { port: lab.ports.imap, tls: 'starttls' as const }]) {
      const client = await connectImap(labAccount(lab, 'alice', over))
      try {
        expect(client.secureConnection).toBe(true)
        const features = featuresOf(client)
        expect(features).toMatchObject({
          qresync: true,
          condstore: true,
          move: true,
          uidplus: true,
          idle: true,
        })
        // The lab's Dovecot has no imap_zlib plugin, so COMPRESS=DEFLATE is not offered there.
        expect(features.compressed).toBe(client.capabilities.has('COMPRESS=DEFLATE'))
      } finally {
        await closeQuietly(client)
      }
    }
  })

  it('wrong password → AUTH_FAILED', async () => {
    // A private lab: Dovecot's auth penalty (per client IP) would slow every later login of the shared one.
    const own = await startLab()
    try {
      const bad = labAccount(own, 'alice', { password: 'not-the-password' })
      const err = await expectMailError(connectImap(bad), 'AUTH_FAILED')
      expect(err.message).toContain(own.host)
      expect(err.message).not.toContain('not-the-password')
      expect(err.detail ?? '').not.toContain('not-the-password')
    } finally {
      await own.stop()
    }
  })

  it('a CA the server does not chain to → TLS_UNTRUSTED naming the host (implicit TLS and STARTTLS)', async () => {
    const noCa = labAccount(lab, 'alice', { ca: undefined })
    const err = await expectMailError(connectImap(noCa), 'TLS_UNTRUSTED')
    expect(err.message).toContain(lab.host)
    await expectMailError(connectImap({ ...noCa, port: lab.ports.imap, tls: 'starttls' }), 'TLS_UNTRUSTED')
  })

  it('a closed port → CONNECTION_REFUSED', async () => {
    await expectMailError(
      connectImap(labAccount(lab, 'alice', { port: await closedPort() })),
      'CONNECTION_REFUSED',
    )
  })

  it('a name that does not resolve (RFC 2606 .invalid) → HOST_NOT_FOUND', async () => {
    const err = await expectMailError(
      connectImap(labAccount(lab, 'alice', { host: 'imap.no-such-host.invalid' })),
      'HOST_NOT_FOUND',
    )
    expect(err.message).toContain('imap.no-such-host.invalid')
  })

  it("tls 'none' without allowPlaintext → TLS_REQUIRED before anything is sent", async () => {
    // A listener that records whether anyone even connected: the refusal must be client-side.
    let connections = 0
    const server = createServer((s) => {
      connections++
      s.destroy()
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const address = server.address()
    if (address === null || typeof address === 'string') throw new Error('no port')
    try {
      await expectMailError(
        connectImap(labAccount(lab, 'alice', { port: address.port, tls: 'none' })),
        'TLS_REQUIRED',
      )
      expect(connections).toBe(0)
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  })

  it('a stalled link → TIMEOUT within the configured timeouts, at connect and mid-command', async () => {
    const proxy = await createTcpProxy({ targetPort: lab.ports.imaps })
    const timeouts = { connect: 1_500, greeting: 1_500, socket: 1_500 }
    try {
      proxy.stall()
      let started = Date.now()
      await expectMailError(connectImap(labAccount(lab, 'alice', { port: proxy.port }, timeouts)), 'TIMEOUT')
      expect(Date.now() - started).toBeLessThan(4_000)

      proxy.resume()
      const client = await connectImap(labAccount(lab, 'alice', { port: proxy.port }, timeouts))
      try {
        proxy.stall()
        started = Date.now()
        await expectMailError(
          mapErrors({ host: lab.host }, () => client.list(), client),
          'TIMEOUT',
        )
        expect(Date.now() - started).toBeLessThan(5_000)
      } finally {
        client.close()
      }
    } finally {
      await proxy.close()
    }
  })
})
