// CPU seconds of the processes a bench drives, by kind (for Chromium: browser, renderer, each utility), read
// from /proc before and after a measured section.

import { readdir, readFile } from 'node:fs/promises'
import { processTree } from './memory'

/** utime + stime of a /proc stat line, in seconds. */
function statSeconds(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(fields[11]) + Number(fields[12])) / 100
}

/**
 * CPU seconds of a process's threads by thread name: Chromium names a renderer's Web Worker threads
 * "DedicatedWorker", its IPC thread "Chrome_ChildIOT", its main (page) thread keeps the process's name.
 */
async function threadSeconds(pid: number): Promise<Map<string, number>> {
  const out = new Map<string, number>()
  for (const tid of await readdir(`/proc/${pid}/task`).catch(() => [])) {
    try {
      const name = (await readFile(`/proc/${pid}/task/${tid}/comm`, 'utf8')).trim()
      const seconds = statSeconds(await readFile(`/proc/${pid}/task/${tid}/stat`, 'utf8'))
      out.set(name, (out.get(name) ?? 0) + seconds)
    } catch {
      // gone
    }
  }
  return out
}

/**
 * CPU seconds (user + system) of each process in the trees, keyed by a label for its kind; for renderers also
 * by thread name (`chromium:renderer#DedicatedWorker`: the sync worker, apart from the page's own thread).
 */
export async function cpuByKind(roots: Record<string, number>): Promise<Map<string, number>> {
  const out = new Map<string, number>()
  for (const [label, root] of Object.entries(roots)) {
    for (const pid of await processTree(root)) {
      try {
        const seconds = statSeconds(await readFile(`/proc/${pid}/stat`, 'utf8'))
        const cmd = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).replaceAll('\0', ' ') + ' '
        const type = /--type=(\S+)/.exec(cmd)?.[1] ?? ''
        const sub = /--utility-sub-type=(\S+)/.exec(cmd)?.[1] ?? ''
        const key = `${label}${type ? `:${type}` : ''}${sub ? `:${sub}` : ''}`
        out.set(key, (out.get(key) ?? 0) + seconds)
        if (type === 'renderer') {
          for (const [name, s] of await threadSeconds(pid)) {
            out.set(`${key}#${name}`, (out.get(`${key}#${name}`) ?? 0) + s)
          }
        }
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

/** Bytes a process has written (`wchar` of /proc/PID/io: every write call, to disk or not). */
export async function bytesWritten(pid: number): Promise<number> {
  const io = await readFile(`/proc/${pid}/io`, 'utf8')
  return Number(/^wchar: (\d+)$/m.exec(io)?.[1] ?? NaN)
}
