import { join } from 'node:path'
import { errorWithLog, exec, type ExecResult } from './exec'
import { readPidFile, runToLog, stopByPid, waitPidGone, waitPorts } from './daemon'

/** How to reach one private Dovecot instance: everything goes through its config file. */
export interface DovecotInstance {
  conf: string
  baseDir: string
  log: string
  ports: readonly number[]
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
  const code = await runToLog('dovecot', ['-c', d.conf], d.log)
  if (code !== 0) throw await errorWithLog(`dovecot -c ${d.conf} exited with ${code}`, d.log)
  try {
    await waitPorts(d.ports, 10_000)
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

/** Simulates a crash: SIGKILL the master; its children notice the closed master pipe and exit. */
export async function killDovecot(d: Pick<DovecotInstance, 'baseDir'>): Promise<void> {
  const pid = await dovecotMasterPid(d)
  if (pid === undefined) throw new Error(`no Dovecot master.pid in ${d.baseDir}`)
  process.kill(pid, 'SIGKILL')
  await waitPidGone(pid, 5000)
}
