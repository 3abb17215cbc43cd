// Peak memory while a bench runs: RSS of the web host (the Node core) and of every Chromium process by type,
// and the JS heaps of the page and of its workers (the sync worker runs Dexie). Sampled from /proc and over
// CDP every `intervalMs`; a sample costs well under a millisecond of the measured processes' time.

import { readdir, readFile } from 'node:fs/promises'
import type { Extra } from '../lib/result'
import type { QuietBrowser } from './quiet-browser'

const MB = 1024 * 1024

/** Resident set size of one process in bytes, or 0 when it is gone. */
export async function rssOf(pid: number): Promise<number> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8')
    const kb = /^VmRSS:\s+(\d+) kB/m.exec(status)?.[1]
    return kb === undefined ? 0 : Number(kb) * 1024
  } catch {
    return 0
  }
}

/** The process and all its descendants (Linux: /proc/PID/task/TID/children). */
export async function processTree(root: number): Promise<number[]> {
  const found = [root]
  for (let i = 0; i < found.length; i++) {
    const pid = found[i]!
    try {
      const tasks = await readdir(`/proc/${pid}/task`)
      for (const tid of tasks) {
        const children = await readFile(`/proc/${pid}/task/${tid}/children`, 'utf8').catch(() => '')
        for (const c of children.split(' ').filter(Boolean)) found.push(Number(c))
      }
    } catch {
      // gone
    }
  }
  return found
}

interface ProcessInfo {
  type: string
  id: number
}

export interface MemorySampler {
  /** Stops sampling and returns the peaks in MB (rounded to 0.1). */
  stop(): Promise<Extra>
}

/**
 * Starts sampling. `corePid` is the web host process (tsx, which runs the core in a child node process:
 * the figure is the biggest process of that tree, i.e. the core itself). Chromium processes are found with
 * CDP's SystemInfo.getProcessInfo, so colleagues' browsers on the same machine are never counted.
 */
export async function startMemorySampler(
  browser: QuietBrowser,
  corePid: number,
  intervalMs = 200,
): Promise<MemorySampler> {
  await browser.send('Performance.enable', {}, browser.pageSession)
  // The page's dedicated workers (the sync worker among them) answer only on sessions auto-attached through
  // the page; workers started later are attached too.
  const workers: string[] = []
  browser.on('Target.attachedToTarget', (params) => {
    const p = params as { sessionId: string; targetInfo: { type: string } }
    if (p.targetInfo.type === 'worker') workers.push(p.sessionId)
  })
  await browser.send(
    'Target.setAutoAttach',
    { autoAttach: true, waitForDebuggerOnStart: false, flatten: true },
    browser.pageSession,
  )
  const workerHeap = (sessionId: string): Promise<number> =>
    Promise.race([
      browser
        .send<{ usedSize: number }>('Runtime.getHeapUsage', {}, sessionId)
        .then((r) => r.usedSize)
        .catch(() => 0),
      new Promise<number>((r) => setTimeout(() => r(0), 2_000)),
    ])

  const peak = new Map<string, number>()
  const note = (key: string, bytes: number): void => {
    if (bytes > (peak.get(key) ?? 0)) peak.set(key, bytes)
  }
  let processes: ProcessInfo[] = []
  let coreTree: number[] = []
  let samples = 0
  const refresh = async (): Promise<void> => {
    processes = (await browser.send<{ processInfo: ProcessInfo[] }>('SystemInfo.getProcessInfo')).processInfo
    coreTree = await processTree(corePid)
  }
  const sample = async (): Promise<void> => {
    if (samples++ % 10 === 0) await refresh()
    const coreRss = await Promise.all(coreTree.map(rssOf))
    note('core_rss_mb', Math.max(0, ...coreRss))
    const byType = new Map<string, number>()
    let total = 0
    for (const p of processes) {
      const rss = await rssOf(p.id)
      total += rss
      const type = p.type === 'storage.mojom.StorageService' ? 'storage' : p.type.toLowerCase()
      byType.set(type, (byType.get(type) ?? 0) + rss)
    }
    note('chromium_rss_mb', total)
    note('browser_rss_mb', byType.get('browser') ?? 0)
    note('renderer_rss_mb', byType.get('renderer') ?? 0)
    note('storage_rss_mb', byType.get('storage') ?? 0)
    const { metrics } = await browser.send<{ metrics: { name: string; value: number }[] }>(
      'Performance.getMetrics',
      {},
      browser.pageSession,
    )
    note('page_heap_mb', metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0)
    const heaps = await Promise.all(workers.map(workerHeap))
    note('worker_heap_mb', Math.max(0, ...heaps))
  }

  let stopped = false
  const loop = (async () => {
    while (!stopped) {
      const started = Date.now()
      await sample().catch(() => undefined)
      await new Promise((r) => setTimeout(r, Math.max(0, intervalMs - (Date.now() - started))))
    }
  })()

  return {
    async stop() {
      stopped = true
      await loop
      await sample().catch(() => undefined)
      await browser.send('Performance.disable', {}, browser.pageSession).catch(() => undefined)
      await browser
        .send(
          'Target.setAutoAttach',
          { autoAttach: false, waitForDebuggerOnStart: false },
          browser.pageSession,
        )
        .catch(() => undefined)
      for (const sessionId of workers.splice(0)) {
        await browser.send('Target.detachFromTarget', { sessionId }).catch(() => undefined)
      }
      const out: Extra = {}
      for (const [key, bytes] of peak) out[key] = Math.round((bytes / MB) * 10) / 10
      return out
    },
  }
}
