// What the store profiles (imap-store-profile.ts, pop3-store-profile.ts) read from a DevTools CPU profile, and
// the DevTools session they take it through.

import { workerSessions, type QuietBrowser } from './quiet-browser'

const secs = (ms: number): number => Math.round(ms) / 1000

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  hitCount?: number
  children?: number[]
}
export interface Profile {
  nodes: ProfileNode[]
  startTime: number
  endTime: number
  samples?: number[]
  timeDeltas?: number[]
}

/**
 * A DevTools session to the page's first dedicated worker (the sync worker), auto-attached through the page:
 * a dedicated worker answers only there.
 */
export async function workerSession(
  page: QuietBrowser,
): Promise<(method: string, params?: object) => Promise<unknown>> {
  const workers = await workerSessions(page)
  const worker = workers[0]
  if (worker === undefined) throw new Error('no worker target')
  return (method, params = {}) => page.send(method, params, worker)
}

/** Self time per function (top entries) and the idle share of a CPU profile. */
export function summarize(p: Profile): { total_s: number; idle_s: number; top: [string, number][] } {
  const byId = new Map(p.nodes.map((n) => [n.id, n]))
  const self = new Map<number, number>()
  const samples = p.samples ?? []
  const deltas = p.timeDeltas ?? []
  for (let i = 0; i < samples.length; i++) {
    const id = samples[i]!
    self.set(id, (self.get(id) ?? 0) + (deltas[i + 1] ?? 0))
  }
  const byName = new Map<string, number>()
  let idle = 0
  for (const [id, us] of self) {
    const f = byId.get(id)!.callFrame
    if (f.functionName === '(idle)' || f.functionName === '(program)') idle += us
    const file = f.url.split('/').pop() ?? ''
    const name = `${f.functionName || '(anonymous)'} ${file}:${f.lineNumber}`
    byName.set(name, (byName.get(name) ?? 0) + us)
  }
  const top = [...byName]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 30)
    .map(([k, us]): [string, number] => [k, Math.round(us / 1000)])
  return { total_s: secs((p.endTime - p.startTime) / 1000), idle_s: secs(idle / 1000), top }
}
