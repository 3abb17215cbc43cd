import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { createCore, type Core } from '../core/create-core'
import { realServerProbes } from '../core/server-probes'
import { createFileKeyCipher } from '../core/secrets/file-key-cipher'
import { RpcClient } from '../shared/rpc/client'
import { fromWebSocket } from '../shared/rpc/websocket-transport'
import { RPC_SUBPROTOCOL } from './auth'
import { startWebHost, type WebHost } from './web-host'

interface Refusal {
  status: number
  body: string
}

/** Opens a WebSocket and resolves with the HTTP refusal, or rejects if the upgrade was accepted. */
function expectRefusal(url: string, protocols: string[], headers: Record<string, string>): Promise<Refusal> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, protocols, { headers })
    ws.on('open', () => {
      ws.close()
      reject(new Error('the upgrade was accepted'))
    })
    ws.on('unexpected-response', (_req, res) => {
      let body = ''
      res.on('data', (c: Buffer) => (body += c.toString()))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
    })
    ws.on('error', () => undefined) // 'unexpected-response' carries the verdict
  })
}

function httpGet(
  port: number,
  path: string,
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET' }, (res) => {
      let body = ''
      res.on('data', (c: Buffer) => (body += c.toString()))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

describe('web host', () => {
  let dir: string
  let core: Core
  let host: WebHost
  let rpcUrl: string

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'web-host-test-'))
    const rendererDir = join(dir, 'renderer')
    await mkdir(rendererDir)
    await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>shell</title>')
    await writeFile(join(dir, 'outside.txt'), 'secret outside the renderer dir')
    core = await createCore({
      dataDir: dir,
      mode: 'test',
      secretCipher: await createFileKeyCipher(dir),
      version: '9.9.9',
      probes: realServerProbes,
    })
    host = await startWebHost({ rendererDir, rpc: core.rpc })
    rpcUrl = `ws://127.0.0.1:${host.port}/rpc`
  })
  afterAll(async () => {
    await host?.close()
    await core?.dispose()
    await rm(dir, { recursive: true, force: true })
  })

  it('listens on loopback only and prints a tokenised URL', () => {
    expect(host.origin).toBe(`http://127.0.0.1:${host.port}`)
    expect(host.url).toBe(`${host.origin}/#token=${host.token}`)
    expect(host.token).toMatch(/^[A-Za-z0-9_-]{43}$/)
  })

  it('serves the shell with the CSP and nothing outside the renderer build', async () => {
    const index = await httpGet(host.port, '/')
    expect(index.status).toBe(200)
    expect(index.body).toContain('<title>shell</title>')
    expect(String(index.headers['content-security-policy'])).toContain("script-src 'self'")
    expect((await httpGet(host.port, '/../outside.txt')).status).toBe(404)
    expect((await httpGet(host.port, '/%2e%2e/outside.txt')).status).toBe(404)
    expect((await httpGet(host.port, '/missing.js')).status).toBe(404)
  })

  it('accepts the right token from its own origin and completes an RPC round trip', async () => {
    const socket = new WebSocket(rpcUrl, [RPC_SUBPROTOCOL, `token.${host.token}`], {
      headers: { Origin: host.origin },
    })
    const client = new RpcClient(fromWebSocket(socket))
    const hello = await client.call('app.hello', { client: 'web-host-test' })
    expect(hello).toMatchObject({ coreVersion: '9.9.9', mode: 'test' })
    expect(await client.call('app.echo', { text: 'round trip ✓' })).toEqual({ text: 'round trip ✓' })
    socket.close()
  })

  it('refuses a connection without a token', async () => {
    const refusal = await expectRefusal(rpcUrl, [RPC_SUBPROTOCOL], { Origin: host.origin })
    expect(refusal).toEqual({ status: 401, body: 'missing token\n' })
  })

  it('refuses a wrong token', async () => {
    const refusal = await expectRefusal(rpcUrl, [RPC_SUBPROTOCOL, `token.${'x'.repeat(43)}`], {
      Origin: host.origin,
    })
    expect(refusal).toEqual({ status: 401, body: 'wrong token\n' })
  })

  it('refuses a foreign Origin even with the right token', async () => {
    const refusal = await expectRefusal(rpcUrl, [RPC_SUBPROTOCOL, `token.${host.token}`], {
      Origin: 'https://evil.example',
    })
    expect(refusal).toEqual({ status: 403, body: 'foreign or missing Origin\n' })
  })

  it('refuses a missing Origin (non-browser clients must not bypass the check)', async () => {
    const refusal = await expectRefusal(rpcUrl, [RPC_SUBPROTOCOL, `token.${host.token}`], {})
    expect(refusal.status).toBe(403)
  })

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    const refusal = await expectRefusal(rpcUrl, [RPC_SUBPROTOCOL, `token.${host.token}`], {
      Origin: 'http://attacker.example:80',
      Host: 'attacker.example',
    })
    expect(refusal).toEqual({ status: 403, body: 'unexpected Host header\n' })
  })
})
