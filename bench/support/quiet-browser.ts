// Chromium driven over a bare DevTools connection that only navigates and evaluates, for benches whose
// measured path carries bulk data over a WebSocket. Playwright enables the Network domain on every page and
// worker it attaches to, and Chromium then copies each WebSocket frame, base64-encoded, into a DevTools event
// for it: receiving 33 MiB in a worker took 0.48 s and 0.36 s of the browser process's CPU that way, 0.15 s
// and 0.04 s with no DevTools client (bench/README.md). A user's app has no DevTools client attached.

import { spawn, type ChildProcess } from 'node:child_process'
import WebSocket from 'ws'
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from '../../e2e/support/browser'

export interface QuietBrowser {
  /** The browser process (its own process group). */
  pid: number
  navigate(url: string): Promise<void>
  /** Evaluates an expression in the page (a promise is awaited) and returns its JSON value. */
  evaluate<T>(expression: string): Promise<T>
  /** Presses and releases a key in the page, as a user's keystroke arrives (DevTools Input domain). */
  press(key: string, keyCode: number): Promise<void>
  /** A DevTools command to the browser, or (with `sessionId`) to an attached target. */
  send<T>(method: string, params?: object, sessionId?: string): Promise<T>
  /** The session attached to the page, for `send`. */
  pageSession: string
  /** Calls `listener` with the params of every DevTools event named `method`. */
  on(method: string, listener: (params: unknown, sessionId?: string) => void): void
  close(): Promise<void>
}

interface CdpReply {
  id?: number
  method?: string
  params?: unknown
  sessionId?: string
  result?: unknown
  error?: { message: string }
}

/** Starts Chromium on `profileDir` (on-disk IndexedDB) and attaches to its first page. */
export async function launchQuietBrowser(profileDir: string): Promise<QuietBrowser> {
  const child: ChildProcess = spawn(
    CHROMIUM_PATH,
    [
      '--headless=new',
      ...CHROMIUM_FLAGS,
      `--user-data-dir=${profileDir}`,
      '--remote-debugging-port=0',
      'about:blank',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'], detached: true },
  )
  const pid = child.pid
  if (pid === undefined) throw new Error('chromium did not start')
  const exited = new Promise<void>((r) => child.once('exit', () => r()))
  let output = ''
  const endpoint = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`chromium printed no DevTools URL:\n${output}`)), 30_000)
    child.stderr?.on('data', (d: Buffer) => {
      output += d.toString()
      const m = /DevTools listening on (ws:\/\/\S+)/.exec(output)
      if (m?.[1]) {
        clearTimeout(timer)
        resolve(m[1])
      }
    })
    child.once('exit', (code) => reject(new Error(`chromium exited (${code}):\n${output}`)))
  })
  child.stderr?.on('data', () => undefined)
  const socket = new WebSocket(endpoint, { perMessageDeflate: false, maxPayload: 256 * 1024 * 1024 })
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve())
    socket.once('error', reject)
  })
  let nextId = 1
  const listeners = new Map<string, ((params: unknown, sessionId?: string) => void)[]>()
  const waiting = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>()
  socket.on('message', (data: Buffer) => {
    const msg = JSON.parse(data.toString()) as CdpReply
    if (msg.id === undefined) {
      if (msg.method) for (const l of listeners.get(msg.method) ?? []) l(msg.params, msg.sessionId)
      return
    }
    const w = waiting.get(msg.id)
    waiting.delete(msg.id)
    if (msg.error) w?.reject(new Error(msg.error.message))
    else w?.resolve(msg.result)
  })
  const send = <T>(method: string, params: object = {}, sessionId?: string): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++
      waiting.set(id, { resolve: (v) => resolve(v as T), reject })
      socket.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }))
    })
  const { targetInfos } = await send<{ targetInfos: { targetId: string; type: string }[] }>(
    'Target.getTargets',
  )
  const target = targetInfos.find((t) => t.type === 'page')
  if (!target) throw new Error('chromium has no page')
  const { sessionId } = await send<{ sessionId: string }>('Target.attachToTarget', {
    targetId: target.targetId,
    flatten: true,
  })
  const evaluate = async <T>(expression: string): Promise<T> => {
    const r = await send<{
      result: { value?: unknown }
      exceptionDetails?: { text: string; exception?: { description?: string } }
    }>('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true }, sessionId)
    if (r.exceptionDetails) {
      throw new Error(r.exceptionDetails.exception?.description ?? r.exceptionDetails.text)
    }
    return r.result.value as T
  }
  return {
    pid,
    async navigate(url) {
      await send('Page.navigate', { url }, sessionId)
      // Page.navigate returns when the navigation commits; wait for the document too.
      for (let i = 0; i < 600; i++) {
        const state = await evaluate<string>('document.readyState').catch(() => 'loading')
        // The hash is compared not: the app takes its token out of the address once read.
        const at = await evaluate<string>('location.href.split("#")[0]').catch(() => '')
        if (state === 'complete' && at === url.split('#')[0]) return
        await new Promise((r) => setTimeout(r, 50))
      }
      throw new Error(`${url} did not load in 30 s`)
    },
    evaluate,
    async press(key, keyCode) {
      for (const type of ['keyDown', 'keyUp']) {
        await send(
          'Input.dispatchKeyEvent',
          { type, key, code: key, windowsVirtualKeyCode: keyCode },
          sessionId,
        )
      }
    },
    send,
    pageSession: sessionId,
    on(method, listener) {
      listeners.set(method, [...(listeners.get(method) ?? []), listener])
    },
    async close() {
      socket.close()
      if (child.exitCode === null && child.signalCode === null) {
        try {
          process.kill(-pid, 'SIGKILL')
        } catch {
          child.kill('SIGKILL')
        }
        await exited
      }
    },
  }
}

/**
 * The DevTools sessions of the page's dedicated workers, auto-attached through the page (a dedicated worker
 * answers only there); waits up to `waitMs` for the first one. Later workers are added to the array as they
 * start.
 */
export async function workerSessions(page: QuietBrowser, waitMs = 5_000): Promise<string[]> {
  const workers: string[] = []
  page.on('Target.attachedToTarget', (params) => {
    const p = params as { sessionId: string; targetInfo: { type: string } }
    if (p.targetInfo.type === 'worker') workers.push(p.sessionId)
  })
  await page.send(
    'Target.setAutoAttach',
    { autoAttach: true, waitForDebuggerOnStart: false, flatten: true },
    page.pageSession,
  )
  for (const until = Date.now() + waitMs; workers.length === 0 && Date.now() < until;) {
    await new Promise((r) => setTimeout(r, 20))
  }
  return workers
}
