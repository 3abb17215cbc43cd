// CPU seconds of the processes a bench drives, by kind (for Chromium: browser, renderer, each utility), read
// from /proc before and after a measured section.

import { readFile } from 'node:fs/promises'
import { processTree } from './memory'

/** CPU seconds (user + system) of each process in the trees, keyed by a label for its kind. */
export async function cpuByKind(roots: Record<string, number>): Promise<Map<string, number>> {
  const out = new Map<string, number>()
  for (const [label, root] of Object.entries(roots)) {
    for (const pid of await processTree(root)) {
      try {
        const stat = await readFile(`/proc/${pid}/stat`, 'utf8')
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
        const ticks = Number(fields[11]) + Number(fields[12])
        const cmd = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).replaceAll('\0', ' ') + ' '
        const type = /--type=(\S+)/.exec(cmd)?.[1] ?? ''
        const sub = /--utility-sub-type=(\S+)/.exec(cmd)?.[1] ?? ''
        const key = `${label}${type ? `:${type}` : ''}${sub ? `:${sub}` : ''}`
        out.set(key, (out.get(key) ?? 0) + ticks / 100)
      } catch {
        // gone
      }
    }
  }
  return out
}

/** `after - before` per kind, rounded to 10 ms, leaving out kinds that used nothing. */
export function cpuSpent(before: Map<string, number>, after: Map<string, number>): Record<string, number> {
  const out: Record<string, number> = {}
  for (const [k, v] of after) {
    const spent = Math.round((v - (before.get(k) ?? 0)) * 100) / 100
    if (spent > 0) out[k] = spent
  }
  return out
}
