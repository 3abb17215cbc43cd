// What a DevTools client costs a WebSocket download: 33 MiB in 256 KiB binary frames from a local `ws` server
// into a dedicated Worker, in Chromium with nobody attached over DevTools, then in Chromium driven by
// Playwright (connectOverCDP, as the e2e tests and most benches do). Prints seconds (in the worker) and CPU
// seconds per Chromium process kind. Not part of `npm run bench`:  npx tsx bench/ws-devtools-cost.ts

import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { WebSocketServer } from 'ws'
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from '../e2e/support/browser'
import { cpuByKind, cpuSpent } from './support/cpu'
import { launchStoreBrowser } from './support/web-store'

const TOTAL = 33 * 1024 * 1024
const FRAME = 256 * 1024

// The page waits (with ?wait) so the browser's own start-up is not counted; the worker reports its seconds.
const PAGE = `<!doctype html><script>
setTimeout(() => {
  const w = new Worker(URL.createObjectURL(new Blob([\`
    const t0 = performance.now()
    const ws = new WebSocket('WSURL')
    ws.binaryType = 'arraybuffer'
    let got = 0
    ws.onmessage = (e) => {
      got += e.data.byteLength
      if (got >= ${TOTAL}) { ws.close(); postMessage((performance.now() - t0) / 1000) }
    }
  \`], { type: 'text/javascript' })))
  w.onmessage = (e) => fetch('/done?s=' + e.data)
}, location.search.includes('wait') ? 4000 : 0)
</script>`

async function main(): Promise<void> {
  let reportDone: (seconds: string) => void = () => undefined
  const server = createServer((q, res) => {
    if (q.url?.startsWith('/done')) reportDone(q.url.slice('/done?s='.length))
    res.setHeader('content-type', 'text/html')
    res.end(PAGE.replace('WSURL', `ws://${q.headers.host}/ws`))
  })
  const frame = Buffer.alloc(FRAME, 7)
  new WebSocketServer({ server, path: '/ws' }).on('connection', (ws) => {
    for (let sent = 0; sent < TOTAL; sent += FRAME) ws.send(frame)
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`
  const done = (): Promise<string> => new Promise((r) => (reportDone = r))
  const dir = await mkdtemp(join(tmpdir(), 'ws-devtools-cost-'))
  try {
    {
      const finished = done()
      const child = spawn(
        CHROMIUM_PATH,
        ['--headless=new', ...CHROMIUM_FLAGS, `--user-data-dir=${join(dir, 'a')}`, `${url}?wait`],
        { stdio: 'ignore', detached: true },
      )
      await new Promise((r) => setTimeout(r, 3000))
      const before = await cpuByKind({ chromium: child.pid! })
      const seconds = await finished
      const cpu = cpuSpent(before, await cpuByKind({ chromium: child.pid! }))
      process.stdout.write(JSON.stringify({ devtools: 'none', seconds: Number(seconds), cpu_s: cpu }) + '\n')
      process.kill(-child.pid!, 'SIGKILL')
    }
    {
      const browser = await launchStoreBrowser(join(dir, 'b'))
      const page = await browser.browser.contexts()[0]!.newPage()
      const before = await cpuByKind({ chromium: browser.pid })
      const finished = done()
      await page.goto(url)
      const seconds = await finished
      const cpu = cpuSpent(before, await cpuByKind({ chromium: browser.pid }))
      process.stdout.write(
        JSON.stringify({ devtools: 'playwright', seconds: Number(seconds), cpu_s: cpu }) + '\n',
      )
      await browser.close()
    }
  } finally {
    server.close()
    await rm(dir, { recursive: true, force: true })
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`)
    process.exit(1)
  },
)
