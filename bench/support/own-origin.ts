// Store-cost benches run each variant on an origin of its own: an origin's IndexedDB databases share one
// LevelDB, and the compaction of what one run wrote would otherwise be charged to the next.
import { createServer } from 'node:http'
import type { Page } from 'playwright-core'

/**
 * Serves a blank page (and `files`, by path) on a new local port and opens the page there. `close` stops the
 * server; the page keeps the origin until it navigates away.
 */
export async function openOwnOrigin(
  page: Page,
  files: Record<string, Buffer> = {},
): Promise<{ url: string; close(): void }> {
  const server = createServer((q, res) => {
    const body = files[q.url ?? '']
    if (body) return res.end(body)
    res.end('<!doctype html><title>idb</title>')
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`
  await page.goto(`${url}/`)
  return { url, close: () => server.close() }
}

/**
 * Runs `source` as a dedicated worker of the page, posts it `arg`, and returns its first message; then
 * deletes the database `arg.dbName` the run wrote.
 */
export async function runWorkerOnce<T>(
  page: Page,
  source: string,
  arg: { dbName: string } & Record<string, unknown>,
): Promise<T> {
  return (await page.evaluate(
    `(async (arg) => {
      const w = new Worker(URL.createObjectURL(new Blob([${JSON.stringify(source)}], { type: 'text/javascript' })))
      const out = await new Promise((ok) => { w.onmessage = (e) => ok(e.data); w.postMessage(arg) })
      w.terminate()
      await new Promise((ok) => { const r = indexedDB.deleteDatabase(arg.dbName); r.onsuccess = r.onerror = ok })
      return out
    })(${JSON.stringify(arg)})`,
  )) as T
}
