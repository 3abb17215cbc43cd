import { spawn } from 'node:child_process'
import { closeSync, openSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { connect } from 'node:net'
import { pidAlive, sleep } from './exec'

/**
 * Runs a daemon's start command with stdout/stderr appended to `logPath` and waits for the foreground
 * process to exit. Redirecting matters: dovecot/postfix keep inherited descriptors open, so a pipe
 * would never see EOF.
 */
export function runToLog(cmd: string, args: readonly string[], logPath: string): Promise<number> {
  const fd = openSync(logPath, 'a')
  return new Promise<number>((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', fd, fd], detached: true })
    child.on('error', reject)
    child.on('exit', (code) => resolve(code ?? -1))
  }).finally(() => closeSync(fd))
}

/** Reads a pid file written by a daemon; undefined when missing or garbage. */
export async function readPidFile(path: string): Promise<number | undefined> {
  try {
    const pid = Number.parseInt((await readFile(path, 'utf8')).trim(), 10)
    return Number.isInteger(pid) && pid > 0 ? pid : undefined
  } catch {
    return undefined
  }
}

/** Waits until a pid is gone; false on timeout. */
export async function waitPidGone(pid: number, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs
  while (pidAlive(pid)) {
    if (Date.now() > until) return false
    await sleep(20)
  }
  return true
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ port, host: '127.0.0.1' })
    s.once('connect', () => {
      s.destroy()
      resolve(true)
    })
    s.once('error', () => resolve(false))
  })
}

/** Waits until every port accepts TCP connections. */
export async function waitPorts(ports: readonly number[], timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs
  for (const port of ports) {
    while (!(await canConnect(port))) {
      if (Date.now() > until) throw new Error(`port ${port} on 127.0.0.1 did not open within ${timeoutMs} ms`)
      await sleep(25)
    }
  }
}

/**
 * Stops a daemon through its own tool first (orderly), then, if its master pid lingers, SIGKILLs exactly
 * that pid. Never by process name: other labs and the system's own servers may be running.
 */
export async function stopByPid(
  pid: number | undefined,
  orderly: () => Promise<unknown>,
  timeoutMs = 5000,
): Promise<void> {
  if (pid === undefined || !pidAlive(pid)) return
  await orderly().catch(() => undefined)
  if (await waitPidGone(pid, timeoutMs)) return
  try {
    process.kill(pid, 'SIGKILL')
  } catch {
    // already gone
  }
  await waitPidGone(pid, 2000)
}
