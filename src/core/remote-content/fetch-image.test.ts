import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isRefusedAddress } from './address-policy'
import { fetchRemoteImage } from './fetch-image'
import { lanAddress, TINY_PNG } from '../../lab/testing/remote-picture'

describe('remote picture downloads (core, on consent)', () => {
  let server: Server
  let port: number
  const requests: string[] = []

  beforeAll(async () => {
    server = createServer((req, res) => {
      requests.push(req.url ?? '')
      if (req.url === '/pixel.png') res.writeHead(200, { 'Content-Type': 'image/png' }).end(TINY_PNG)
      else if (req.url === '/page') res.writeHead(200, { 'Content-Type': 'text/html' }).end('<p>hi</p>')
      else if (req.url === '/huge.png') {
        res.writeHead(200, { 'Content-Type': 'image/png' })
        res.end(Buffer.alloc(6 * 1024 * 1024))
      } else if (req.url === '/to-loopback')
        res.writeHead(302, { Location: `http://127.0.0.1:${port}/pixel.png` }).end()
      else res.writeHead(404).end()
    })
    await new Promise<void>((r) => server.listen(0, '0.0.0.0', r))
    port = (server.address() as AddressInfo).port
  })
  afterAll(() => new Promise<void>((r) => server.close(() => r())))

  it('downloads a picture from a server on the network', async () => {
    const got = await fetchRemoteImage(`http://${lanAddress()}:${port}/pixel.png`)
    expect(got.mimeType).toBe('image/png')
    expect(Buffer.from(got.bytes).equals(TINY_PNG)).toBe(true)
  })

  it('never connects to this machine, by IP, by name or through a redirect', async () => {
    requests.length = 0
    await expect(fetchRemoteImage(`http://127.0.0.1:${port}/pixel.png`)).rejects.toThrow(/this computer/)
    await expect(fetchRemoteImage(`http://localhost:${port}/pixel.png`)).rejects.toThrow(/this computer/)
    await expect(fetchRemoteImage(`http://[::1]:${port}/pixel.png`)).rejects.toThrow(/this computer/)
    expect(requests).toEqual([])
    await expect(fetchRemoteImage(`http://${lanAddress()}:${port}/to-loopback`)).rejects.toThrow(
      /this computer/,
    )
    expect(requests).toEqual(['/to-loopback'])
  })

  it('refuses what is not a picture, too large, or not http(s)', async () => {
    const base = `http://${lanAddress()}:${port}`
    await expect(fetchRemoteImage(`${base}/page`)).rejects.toThrow(/not lead to a picture \(text\/html\)/)
    await expect(fetchRemoteImage(`${base}/huge.png`)).rejects.toThrow(/larger than 5 MB/)
    await expect(fetchRemoteImage(`${base}/missing.png`)).rejects.toMatchObject({ code: 'NOT_FOUND' })
    await expect(fetchRemoteImage('file:///etc/passwd')).rejects.toMatchObject({ code: 'INVALID_PARAMS' })
    await expect(fetchRemoteImage(`http://u:p@${lanAddress()}:${port}/pixel.png`)).rejects.toThrow(
      /user name or password/,
    )
  })

  it('classifies addresses: loopback, link-local and unspecified refused, LAN and public allowed', () => {
    for (const a of [
      '127.0.0.1',
      '127.8.9.1',
      '0.0.0.0',
      '169.254.169.254',
      '::1',
      '::',
      'fe80::1',
      '::ffff:127.0.0.1',
      'nonsense',
    ])
      expect(isRefusedAddress(a), a).toBe(true)
    for (const a of ['10.1.2.3', '192.168.1.10', '172.16.0.5', '93.184.216.34', '2001:db8::1'])
      expect(isRefusedAddress(a), a).toBe(false)
  })
})
