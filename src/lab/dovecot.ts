import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { errorWithLog, exec, pidAlive, type ExecResult } from './exec'
import { killGroup, readPidFile, runToLog, stopByPid, waitFor, waitGreetings } from './daemon'

/** How to reach one private Dovecot instance: everything goes through its config file. */
export interface DovecotInstance {
  conf: string
  baseDir: string
  log: string
  /** Plain-text ports and their greeting prefix, probed to know the instance is really up. */
  greetings: readonly (readonly [number, string])[]
}

export function dovecotMasterPid(d: Pick<DovecotInstance, 'baseDir'>): Promise<number | undefined> {
  return readPidFile(join(d.baseDir, 'master.pid'))
}

/** `doveadm -c <conf> …` against this instance; rejects with doveadm's own message on failure. */
export function doveadm(
  conf: string,
  args: readonly string[],
  input?: string,
  check = true,
): Promise<ExecResult> {
  return exec('doveadm', ['-c', conf, ...args], input === undefined ? { check } : { input, check })
}

export async function startDovecot(d: DovecotInstance): Promise<void> {
  // After kill() the old master can linger as a zombie until pid 1 reaps it, and Dovecot refuses to
  // start while master.pid names a pid that kill(0) still finds. That pid file is ours: drop it.
  const old = await dovecotMasterPid(d)
  if (old !== undefined && !pidAlive(old)) await rm(join(d.baseDir, 'master.pid'), { force: true })
  const code = await runToLog('dovecot', ['-c', d.conf], d.log)
  if (code !== 0) throw await errorWithLog(`dovecot -c ${d.conf} exited with ${code}`, d.log)
  try {
    await waitFor(() => dovecotMasterPid(d), 10_000, `${d.baseDir}/master.pid`)
    await waitGreetings(d.greetings, 10_000)
  } catch (e) {
    throw await errorWithLog('Dovecot did not come up', d.log, e)
  }
}

/**
 * Orderly stop of the master named by this config's base_dir. It is what `doveadm -c conf stop` does
 * (SIGTERM to that master.pid), minus doveadm's one-second polling, which doubled the lab's stop time.
 */
export async function stopDovecot(d: Pick<DovecotInstance, 'conf' | 'baseDir'>): Promise<void> {
  const pid = await dovecotMasterPid(d)
  await stopByPid(pid, async () => {
    if (pid !== undefined) process.kill(pid, 'SIGTERM')
  })
}

/**
 * Simulates a crashed server: SIGKILL the master's whole process group (by pid, never by name). Killing
 * only the master is not enough: its login and imap processes keep serving open sessions for ~10 s, so
 * clients would not see the crash, and they keep the listening sockets busy.
 */
export async function killDovecot(d: Pick<DovecotInstance, 'baseDir'>): Promise<void> {
  const pid = await dovecotMasterPid(d)
  if (pid === undefined || !pidAlive(pid)) throw new Error(`no running Dovecot master for ${d.baseDir}`)
  await killGroup(pid)
}
