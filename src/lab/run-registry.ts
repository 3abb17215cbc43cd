import { readFileSync } from 'node:fs'
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pidAlive } from './exec'
import { stopDovecot } from './dovecot'
import { stopPostfix } from './postfix'

/**
 * Every lab registers itself under one known parent dir, so a later run can find and clean up labs whose
 * owner crashed (SIGKILL, OOM, a killed CI job) — daemons outlive their owner because they daemonize.
 */
export const RUNS_ROOT = join(tmpdir(), 'mail-lab-runs')

export interface RunRecord {
  id: string
  ownerPid: number
  /** /proc start time of the owner, so a recycled pid is not mistaken for a live owner. */
  ownerStart: string | null
  labDir: string
  dovecotConf: string
  dovecotBaseDir: string
  postfixDir: string
  postfixQueueDir: string
  createdAt: string
}

/** Field 22 of /proc/<pid>/stat (start time in clock ticks); null off Linux or for a missing pid. */
export function processStartTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // The command name (field 2) may contain spaces; count fields after its closing paren.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return rest[19] ?? null
  } catch {
    return null
  }
}

export function ownerAlive(rec: Pick<RunRecord, 'ownerPid' | 'ownerStart'>): boolean {
  if (!pidAlive(rec.ownerPid)) return false
  const start = processStartTime(rec.ownerPid)
  return rec.ownerStart === null || start === null || start === rec.ownerStart
}

export function recordPath(id: string): string {
  return join(RUNS_ROOT, id, 'owner.json')
}

export async function writeRecord(rec: RunRecord): Promise<void> {
  const path = recordPath(rec.id)
  await mkdir(join(RUNS_ROOT, rec.id), { recursive: true, mode: 0o755 })
  // Atomic: a reaper must never read half a record.
  await writeFile(`${path}.tmp`, JSON.stringify(rec, null, 2))
  await rename(`${path}.tmp`, path)
}

export async function readRecords(): Promise<{ id: string; record: RunRecord | null; ageMs: number }[]> {
  let names: string[]
  try {
    names = await readdir(RUNS_ROOT)
  } catch {
    return []
  }
  const out = []
  for (const id of names) {
    const mtime = await stat(join(RUNS_ROOT, id)).then(
      (s) => s.mtimeMs,
      () => undefined,
    )
    if (mtime === undefined) continue // removed meanwhile by its owner or another reaper
    const record = await readFile(recordPath(id), 'utf8').then(
      (text) => JSON.parse(text) as RunRecord,
      () => null,
    )
    out.push({ id, record, ageMs: Date.now() - mtime })
  }
  return out
}

/**
 * Stops a lab's daemons by its own config files and deletes its directories. With `keepLogs` (a failed
 * start) only the record goes, so the logs named in the error survive until a later reap.
 */
export async function destroyRun(rec: RunRecord, opts: { keepLogs?: boolean } = {}): Promise<void> {
  await Promise.all([
    stopDovecot({ conf: rec.dovecotConf, baseDir: rec.dovecotBaseDir }),
    stopPostfix({ configDir: rec.postfixDir, queueDir: rec.postfixQueueDir }),
  ])
  if (opts.keepLogs) {
    await rm(recordPath(rec.id), { force: true })
    return
  }
  await rm(rec.labDir, { recursive: true, force: true })
  await rm(join(RUNS_ROOT, rec.id), { recursive: true, force: true })
}

// A dir without a record is either a lab being created (record follows within milliseconds) or the
// logs of a failed start, kept for a while so the error that points at them stays useful.
const STALE_UNRECORDED_MS = 10 * 60_000

/**
 * Reaps labs whose owner process is dead. Entries without a readable record are removed only once they
 * are old, because a lab being created writes its record a moment after making its dir.
 */
export async function reapStaleLabs(): Promise<string[]> {
  const reaped: string[] = []
  for (const { id, record, ageMs } of await readRecords()) {
    if (record === null) {
      if (ageMs > STALE_UNRECORDED_MS) {
        await rm(join(RUNS_ROOT, id), { recursive: true, force: true })
        reaped.push(id)
      }
      continue
    }
    if (ownerAlive(record)) continue
    await destroyRun(record)
    reaped.push(id)
  }
  return reaped
}
