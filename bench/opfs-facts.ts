// Not a bench: prints what Debian's Chromium does with OPFS files, the facts src/renderer/src/store/bodies/
// relies on (a sync access handle in a worker, the page reading the same file, a second handle, a stale File,
// SIGKILL of the browser after flush, writes past a quota override). `npx tsx bench/opfs-facts.ts`.
// It does not show the partial write past the quota that returns 4294967288 (see body-files.ts): that was
// seen only in the app, with IndexedDB writing beside the file (e2e/store-full.e2e.ts).
import { createServer } from 'node:http'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { launchStoreBrowser } from '../bench/support/web-store'

const WORKER = `
let h = null
onmessage = async (e) => {
  const m = e.data
  try {
    const dir = await navigator.storage.getDirectory()
    if (m.op === 'open') {
      const fh = await dir.getFileHandle(m.name, { create: true })
      h = m.mode ? await fh.createSyncAccessHandle({ mode: m.mode }) : await fh.createSyncAccessHandle()
      postMessage({ ok: true, size: h.getSize(), mode: h.mode })
    } else if (m.op === 'write') {
      const at = h.getSize()
      const buf = new Uint8Array(m.n); for (let i = 0; i < m.n; i++) buf[i] = (at + i) % 251
      const wrote = h.write(buf, { at })
      const r = h.flush()
      postMessage({ ok: true, wrote, flushReturns: String(r), size: h.getSize() })
    } else if (m.op === 'bigwrite') {
      let total = 0
      try {
        for (let k = 0; k < m.count; k++) {
          const buf = new Uint8Array(m.n); crypto.getRandomValues(buf.subarray(0, Math.min(65536, m.n)))
          const w = h.write(buf, { at: h.getSize() })
          total += w
          if (w !== m.n) { postMessage({ ok: false, short: w, total, size: h.getSize() }); return }
        }
        h.flush()
        postMessage({ ok: true, total, size: h.getSize() })
      } catch (err) { postMessage({ ok: false, name: err.name, msg: err.message, total, size: h.getSize() }) }
    } else if (m.op === 'close') { h.close(); h = null; postMessage({ ok: true }) }
    else if (m.op === 'truncate') { h.truncate(m.n); h.flush(); postMessage({ ok: true, size: h.getSize() }) }
    else if (m.op === 'read') {
      const fh = await dir.getFileHandle(m.name)
      const f = await fh.getFile(); const b = new Uint8Array(await f.arrayBuffer())
      postMessage({ ok: true, size: b.length })
    }
  } catch (err) { postMessage({ ok: false, name: err.name, msg: err.message }) }
}`

const PAGE_JS = `
window.mkWorker = () => { const w = new Worker('/w.js'); return (m) => new Promise((ok) => { w.onmessage = (e) => ok(e.data); w.postMessage(m) }) }
window.pageRead = async (name, at, len) => {
  try {
    const dir = await navigator.storage.getDirectory()
    const f = await (await dir.getFileHandle(name)).getFile()
    const b = new Uint8Array(await f.slice(at, at + len).arrayBuffer())
    let ok = true; for (let i = 0; i < b.length; i++) if (b[i] !== (at + i) % 251) { ok = false; break }
    return { ok: true, fileSize: f.size, got: b.length, pattern: ok }
  } catch (err) { return { ok: false, name: err.name, msg: err.message } }
}
window.pageStaleRead = async (name) => {
  const dir = await navigator.storage.getDirectory()
  const f = await (await dir.getFileHandle(name)).getFile()
  return async () => { try { const b = await f.arrayBuffer(); return { ok: true, size: b.byteLength } } catch (err) { return { ok: false, name: err.name, msg: err.message } } }
}
`

async function main(): Promise<void> {
  const server = createServer((req, res) => {
    if (req.url === '/w.js') {
      res.setHeader('content-type', 'text/javascript')
      res.end(WORKER)
      return
    }
    if (req.url === '/p.js') {
      res.setHeader('content-type', 'text/javascript')
      res.end(PAGE_JS)
      return
    }
    res.setHeader('content-type', 'text/html')
    res.end('<script src="/p.js"></script>')
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`
  const dir = await mkdtemp(join(tmpdir(), 'opfs-facts-'))
  const profile = join(dir, 'profile')
  let b = await launchStoreBrowser(profile)
  let page = await b.browser.contexts()[0]!.newPage()
  await page.goto(url)
  const ev = <T>(js: string): Promise<T> => page.evaluate(js) as Promise<T>
  await ev(`window.w1 = mkWorker(); window.w2 = mkWorker()`)
  console.log('open default', await ev(`w1({ op: 'open', name: 'a' })`))
  console.log('write 1000', await ev(`w1({ op: 'write', n: 1000 })`))
  console.log('page getFile while default handle held', await ev(`pageRead('a', 0, 1000)`))
  console.log('2nd worker default handle while held', await ev(`w2({ op: 'open', name: 'a' })`))
  console.log(
    '2nd worker readwrite-unsafe while exclusive held',
    await ev(`w2({ op: 'open', name: 'a', mode: 'readwrite-unsafe' })`),
  )
  console.log('close', await ev(`w1({ op: 'close' })`))
  console.log('open unsafe', await ev(`w1({ op: 'open', name: 'a', mode: 'readwrite-unsafe' })`))
  console.log('page getFile while unsafe handle held', await ev(`pageRead('a', 500, 400)`))
  await ev(`pageStaleRead('a').then((f) => { window.stale = f })`)
  console.log('write 1000 more (unsafe)', await ev(`w1({ op: 'write', n: 1000 })`))
  console.log('page getFile after append', await ev(`pageRead('a', 1500, 500)`))
  console.log('stale File read after append', await ev(`stale()`))
  console.log('close', await ev(`w1({ op: 'close' })`))
  console.log('open read-only mode', await ev(`w1({ op: 'open', name: 'a', mode: 'read-only' })`))
  console.log('page getFile while read-only handle', await ev(`pageRead('a', 0, 10)`))
  console.log('close', await ev(`w1({ op: 'close' })`))

  // Kill: write + flush, then SIGKILL the browser's process group, relaunch with the same profile.
  console.log('open k', await ev(`w1({ op: 'open', name: 'k', mode: 'readwrite-unsafe' })`))
  for (let i = 0; i < 5; i++) await ev(`w1({ op: 'write', n: 100000 })`)
  const before = await ev<{ size: number }>(`w1({ op: 'write', n: 12345 })`)
  console.log('flushed before kill', before)
  process.kill(-b.pid, 'SIGKILL')
  await new Promise((r) => setTimeout(r, 1500))
  b = await launchStoreBrowser(profile)
  page = await b.browser.contexts()[0]!.newPage()
  await page.goto(url)
  console.log('after SIGKILL, page reads k', await ev(`pageRead('k', 0, ${before.size})`))

  // Quota: CDP override, then write past it.
  const cdp = await page.context().newCDPSession(page)
  await ev(`window.w1 = mkWorker()`)
  console.log('open q', await ev(`w1({ op: 'open', name: 'q', mode: 'readwrite-unsafe' })`))
  await cdp.send('Storage.overrideQuotaForOrigin', { origin: url, quotaSize: 3_000_000 })
  console.log('write 10 MB under 3 MB quota', await ev(`w1({ op: 'bigwrite', n: 1000000, count: 10 })`))
  console.log('truncate q to 0 under quota', await ev(`w1({ op: 'truncate', n: 0 })`))
  console.log('write 1 MB after truncate', await ev(`w1({ op: 'bigwrite', n: 1000000, count: 1 })`))
  await b.close()
  server.close()
}
void main().catch((e) => {
  console.error(e)
  process.exit(1)
})
