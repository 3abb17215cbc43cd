/**
 * The processes most e2e suites run under: a mail lab of the suite's own (so its users and folders are
 * private to it), the web host as a user starts it, and Debian's Chromium. `useLabApp()` / `useWebApp()`
 * register the beforeAll/afterAll hooks of the describe block they are called in and return getters, read
 * inside tests and later hooks.
 *
 * A suite's own afterAll hooks (another device's logout, a server of its own) run before these stop: vitest
 * runs afterAll hooks in reverse order of registration, so call this first in the describe block.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest'
import { startLab, type Lab, type LabUserSpec } from '../../src/lab/lab'
import type { ParamsOf, ResultOf } from '../../src/shared/contract'
import { launchChromium } from './browser'
import { rpcTo } from './kill-harness'
import { openApp, type AppPage, type ColorScheme } from './ui'
import { startWebHostProcess, type WebHostProcess } from './web-host-process'

export interface WebAppOptions {
  /** Extra command-line arguments of the web host (e.g. `--pop3-safety-days 0`). */
  hostArgs?: string[]
  /** A new web host (empty data dir) for every test instead of one for the suite. */
  hostPerTest?: boolean
}

export interface LabAppOptions extends WebAppOptions {
  /** The lab's users; default the lab's own (alice, bob, carol, …). */
  users?: LabUserSpec[]
}

export interface WebApp {
  readonly host: WebHostProcess
  readonly browser: Browser
  /** `openApp` (support/ui.ts) on this suite's host and browser; the context closes with the browser. */
  openApp(
    colorScheme: ColorScheme,
    viewport?: { width: number; height: number },
    beforeLoad?: (page: Page, context: BrowserContext) => Promise<void>,
  ): Promise<AppPage>
  /** Adds an account through core's RPC, as the wizard's Save does, without the wizard's screens. */
  addAccount(params: ParamsOf<'accounts.add'>): Promise<ResultOf<'accounts.add'>>
}

export interface LabApp extends WebApp {
  readonly lab: Lab
}

/** Web host and Chromium, no lab. */
export function useWebApp(opts: WebAppOptions = {}): WebApp {
  return register(null, opts)
}

/** A lab of the suite's own, the web host and Chromium. */
export function useLabApp(opts: LabAppOptions = {}): LabApp {
  return register({ users: opts.users }, opts)
}

function register(labOptions: { users?: LabUserSpec[] } | null, opts: WebAppOptions): LabApp {
  let lab: Lab | undefined
  let host: WebHostProcess | undefined
  let browser: Browser | undefined
  const startHost = (): Promise<WebHostProcess> => startWebHostProcess({ args: opts.hostArgs })

  beforeAll(async () => {
    // Started together; whatever did start is kept for afterAll even when another part failed.
    const [l, h, b] = await Promise.allSettled([
      labOptions ? startLab(labOptions) : undefined,
      opts.hostPerTest ? undefined : startHost(),
      launchChromium(),
    ])
    if (l.status === 'fulfilled') lab = l.value
    if (h.status === 'fulfilled') host = h.value
    if (b.status === 'fulfilled') browser = b.value
    for (const r of [l, h, b]) if (r.status === 'rejected') throw r.reason
  })
  // Chromium first (it closes every context a test left open), then the host it talks to, then the lab;
  // each is stopped even when an earlier one fails to.
  afterAll(() => stopEach([() => browser?.close(), () => host?.stop(), () => lab?.stop()]))

  if (opts.hostPerTest) {
    beforeEach(async () => {
      host = await startHost()
    })
    afterEach(async () => {
      await host?.stop()
      host = undefined
    })
  }

  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is not running: read it inside a test or a later hook`)
    return value
  }
  return {
    get lab() {
      return started(lab, 'the mail lab')
    },
    get host() {
      return started(host, 'the web host')
    },
    get browser() {
      return started(browser, 'Chromium')
    },
    openApp(colorScheme, viewport, beforeLoad) {
      return openApp(
        started(browser, 'Chromium'),
        started(host, 'the web host'),
        colorScheme,
        viewport,
        beforeLoad,
      )
    },
    async addAccount(params) {
      const rpc = await rpcTo(started(host, 'the web host'))
      try {
        return await rpc.client.call('accounts.add', params)
      } finally {
        rpc.close()
      }
    },
  }
}

async function stopEach(stops: (() => Promise<unknown> | undefined)[]): Promise<void> {
  const errors: unknown[] = []
  for (const stop of stops) {
    try {
      await stop()
    } catch (e) {
      errors.push(e)
    }
  }
  if (errors.length > 0) throw errors[0]
}
