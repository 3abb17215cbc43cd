/**
 * Processes a crash test can SIGKILL and bring back with their state: the web host (core) with a fixed
 * data dir and port, and Debian's Chromium with a persistent profile, driven over CDP. Each runs in its own
 * process group, so a kill takes its children (tsx's node, Chromium's renderers) with it, as a crash would.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { openSync } from 'node:fs'
import { appendFile, readFile, rm } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import { expect } from 'vitest'
import { createServer } from 'node:net'
import WebSocket from 'ws'
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from './browser'
import { RpcClient } from '../../src/shared/rpc/client'
import { fromWebSocket } from '../../src/shared/rpc/websocket-transport'

const repoRoot = resolve(import.meta.dirname, '../..')

export interface Killable {
  child: ChildProcess
  /** SIGKILL to the whole process group; resolves when the leader has exited. */
  kill(): Promise<void>
}

function killable(child: ChildProcess): Killable {
  return {
    child,
    kill: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return
      const exited = new Promise((r) => child.once('exit', r))
      try {
        process.kill(-child.pid!, 'SIGKILL')
      } catch {
        child.kill('SIGKILL')
      }
      await exited
    },
  }
}

export interface HostProcess extends Killable {
  url: string
  origin: string
  token: string
  /** Everything the host printed so far (for a test's failure message when it dies by itself). */
  output(): string
}

/**
 * `tsx src/web/cli.ts --data-dir D --port P`, detached into its own process group; `root` is the checkout to
 * run (benches comparing two trees), by default this one.
 */
export async function startHost(dataDir: string, port: number, root = repoRoot): Promise<HostProcess> {
  const child = spawn(
    join(root, 'node_modules/.bin/tsx'),
    ['src/web/cli.ts', '--data-dir', dataDir, '--port', String(port)],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  )
  let output = ''
  const url = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`web host silent for 60 s:\n${output}`)), 60_000)
    const onData = (chunk: Buffer): void => {
      output += chunk.toString()
      const m = /(http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]+)/.exec(output)
      if (m?.[1]) {
        clearTimeout(timer)
        ok(m[1])
      }
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', onData)
    child.once('exit', (code) => {
      clearTimeout(timer)
      fail(new Error(`web host exited (${code}):\n${output}`))
    })
  })
  const parsed = new URL(url)
  return {
    ...killable(child),
    url,
    origin: parsed.origin,
    token: parsed.hash.replace('#token=', ''),
    output: () => output,
  }
}

/** An RPC client to the host from Node, as the page's worker connects (Origin + token subprotocol). */
export async function rpcTo(
  host: Pick<HostProcess, 'origin' | 'token'>,
): Promise<{ client: RpcClient; close(): void }> {
  const socket = new WebSocket(
    `ws://127.0.0.1:${new URL(host.origin).port}/rpc`,
    ['harbor-rpc.v1', `token.${host.token}`],
    {
      headers: { Origin: host.origin },
    },
  )
  await new Promise<void>((ok, fail) => {
    socket.once('open', () => ok())
    socket.once('error', fail)
  })
  const client = new RpcClient(fromWebSocket(socket))
  return { client, close: () => socket.close() }
}

export interface BrowserProcess extends Killable {
  browser: Browser
  page: Page
}

/** Chromium on a persistent profile, reached over CDP (see platform-notes.md for the flags). */
export async function launchProfile(profileDir: string): Promise<BrowserProcess> {
  const portFile = join(profileDir, 'DevToolsActivePort')
  await rm(portFile, { force: true })
  // KILL_CHROMIUM_LOG=<file>: Chromium's own log (IndexedDB and quota code verbose), for crash forensics.
  const logFile = process.env['KILL_CHROMIUM_LOG']
  if (logFile) await appendFile(logFile, `\n===== launch ${new Date().toISOString()}\n`)
  const log = logFile
    ? ['--enable-logging=stderr', '--v=0', '--vmodule=*indexed_db*=1,*quota*=1,*bucket*=1']
    : []
  const child = spawn(
    CHROMIUM_PATH,
    [
      '--headless=new',
      ...CHROMIUM_FLAGS,
      `--user-data-dir=${profileDir}`,
      '--remote-debugging-port=0',
      ...log,
      'about:blank',
    ],
    {
      stdio: logFile ? ['ignore', openSync(logFile, 'a'), openSync(logFile, 'a')] : 'ignore',
      detached: true,
    },
  )
  const started = Date.now()
  let port: number | undefined
  while (port === undefined) {
    if (Date.now() - started > 30_000) throw new Error('Chromium did not write DevToolsActivePort in 30 s')
    if (child.exitCode !== null) throw new Error(`Chromium exited with ${child.exitCode}`)
    const text = await readFile(portFile, 'utf8').catch(() => '')
    const first = Number(text.split('\n')[0])
    if (first > 0) port = first
    else await new Promise((r) => setTimeout(r, 25))
  }
  const browser = await chromium.connectOverCDP(`http://127.0.0.1:${port}`)
  const context = browser.contexts()[0] ?? (await browser.newContext())
  const page = context.pages()[0] ?? (await context.newPage())
  return { ...killable(child), browser, page }
}

/** A port that was free a moment ago, for a host that must come back on the same port after a kill. */
export async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const address = server.address()
  await new Promise<void>((r) => server.close(() => r()))
  if (address === null || typeof address === 'string') throw new Error('no free port')
  return address.port
}

/**
 * After the kill rounds, lets the app finish undisturbed: loads it and waits until every item `states`
 * reports is 'ok' (idle with a success after the load), then once more, so the second pass must find
 * nothing left to do. `states(since)` returns one string per item: 'ok', or what it is doing instead.
 */
export async function settleTwice(
  page: Page,
  url: string,
  count: number,
  states: (since: number) => Promise<string[]>,
  timeoutMs: number,
): Promise<void> {
  for (let pass = 0; pass < 2; pass++) {
    const since = Date.now()
    // From about:blank: a URL that differs only in its #token would be a same-document navigation.
    await page.goto('about:blank')
    await page.goto(url)
    await expect
      .poll(() => states(since), { timeout: timeoutMs, interval: 250 })
      .toEqual(Array.from({ length: count }, () => 'ok'))
  }
}
