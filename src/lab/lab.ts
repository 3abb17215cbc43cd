import { mkdir, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { dovecotOf, postfixOf } from './lab-control'
import { DEFAULT_USERS, writeLabFiles } from './lab-files'
import { attachLab, type LabTools } from './lab-tools'
import { pickBasePort } from './ports'
import { assertLabBinaries } from './prerequisites'
import {
  destroyRun,
  processStartTime,
  reapStaleLabs,
  RUNS_ROOT,
  writeRecord,
  type RunRecord,
} from './run-registry'
import type { LabUserSpec } from './types'

export type { LabInfo, LabPaths, LabPorts, LabUser, LabUserSpec } from './types'
export type { LabTools } from './lab-tools'
export type { DeliverOptions } from './deliver'
export type { ImapSystemFlag, LabMaildirMessage, LoadMaildirOptions, LoadMaildirResult } from './maildir-load'
export { attachLab } from './lab-tools'
export { createTcpProxy, type TcpProxy, type TcpProxyOptions } from './faults/tcp-proxy'
export { reapStaleLabs, RUNS_ROOT } from './run-registry'

export interface StartLabOptions {
  /** Where to keep the lab's state (created; must be empty); default `<tmp>/mail-lab-runs/<id>`. Deleted on stop. */
  dir?: string
  /** First of 7 consecutive ports (imap, imaps, pop3, pop3s, lmtp, submission, submissions). */
  basePort?: number
  /** Default: alice, bob, carol, dave, erin, frank, each with password `<name>-lab-password`. */
  users?: LabUserSpec[]
}

/** A running lab owned by this process. */
export interface Lab extends LabTools {
  /** Stops Dovecot and Postfix by their configs and deletes the lab's directory. Idempotent. */
  stop(): Promise<void>
  /** Milliseconds `startLab` took. */
  readonly startMs: number
}

function newId(): string {
  return `${Date.now().toString(36)}-${process.pid}-${Math.random().toString(36).slice(2, 6)}`
}

/**
 * Starts a private Dovecot (IMAP/POP3/LMTP) + Postfix (submission) pair on 127.0.0.1 with a fresh CA,
 * after reaping labs left behind by crashed runs. Everything lives in one temp dir registered under
 * RUNS_ROOT with this process as owner. On failure nothing is left running and the error quotes the
 * log of the server that failed.
 */
export async function startLab(opts: StartLabOptions = {}): Promise<Lab> {
  const started = Date.now()
  await assertLabBinaries()
  await reapStaleLabs()
  const basePort = await pickBasePort(opts.basePort)
  const id = newId()
  await mkdir(RUNS_ROOT, { recursive: true, mode: 0o755 })
  const labDir = opts.dir ?? join(RUNS_ROOT, id)
  await mkdir(labDir, { recursive: true })
  if ((await readdir(labDir)).length > 0) throw new Error(`Lab dir ${labDir} is not empty`)
  const record: RunRecord = {
    id,
    ownerPid: process.pid,
    ownerStart: processStartTime(process.pid),
    labDir,
    dovecotConf: join(labDir, 'dovecot', 'dovecot.conf'),
    dovecotBaseDir: join(labDir, 'dovecot', 'run'),
    postfixDir: join(labDir, 'postfix'),
    postfixQueueDir: join(labDir, 'postfix', 'queue'),
    createdAt: new Date().toISOString(),
  }
  // Registered before anything starts, so even a crash in the next line leaves a reapable trace.
  await writeRecord(record)
  try {
    const info = await writeLabFiles(id, labDir, basePort, opts.users ?? DEFAULT_USERS)
    await Promise.all([dovecotOf(info).start(), postfixOf(info).start()])
    let stopped: Promise<void> | undefined
    return {
      ...attachLab(info),
      startMs: Date.now() - started,
      stop: () => (stopped ??= destroyRun(record)),
    }
  } catch (e) {
    // Keep the logs the error points at; the next run's reaper removes them after a while.
    await destroyRun(record, { keepLogs: true }).catch(() => undefined)
    throw e
  }
}
