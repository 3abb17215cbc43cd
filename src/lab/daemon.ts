import { spawn } from 'node:child_process'
import { closeSync, openSync } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
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

/** Connects and resolves with the server's first line, or undefined when refused/closed/too slow. */
function greeting(port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const s = connect({ port, host: '127.0.0.1' })
    let text = ''
    const done = (v: string | undefined): void => {
      clearTimeout(timer)
      s.destroy()
      resolve(v)
    }
    const timer = setTimeout(() => done(undefined), 2000)
    s.setEncoding('latin1')
    s.on('data', (chunk: string) => {
      text += chunk
      const nl = text.indexOf('\n')
      if (nl >= 0) done(text.slice(0, nl).trim())
    })
    s.once('error', () => done(undefined))
    s.once('close', () => done(undefined))
  })
}

/**
 * Waits until each port greets with the expected prefix ("* OK", "+OK", "220"). An open port is not
 * enough: the daemons bind before they finish starting, and a master stopped during its start-up hangs
 * for seconds while its children time out talking to each other.
 */
export async function waitGreetings(
  ports: readonly (readonly [number, string])[],
  timeoutMs: number,
): Promise<void> {
  const until = Date.now() + timeoutMs
  for (const [port, prefix] of ports) {
    for (;;) {
      const line = await greeting(port)
      if (line?.startsWith(prefix)) break
      if (Date.now() > until) {
        throw new Error(
          `127.0.0.1:${port} did not greet with "${prefix}" within ${timeoutMs} ms (got ${line ?? 'no answer'})`,
        )
      }
      await sleep(25)
    }
  }
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

/** Waits until every port accepts TCP connections (for TLS-only ports, after a greeting check elsewhere). */
export async function waitPorts(ports: readonly number[], timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs
  for (const port of ports) {
    while (!(await canConnect(port))) {
      if (Date.now() > until) throw new Error(`port ${port} on 127.0.0.1 did not open within ${timeoutMs} ms`)
      await sleep(25)
    }
  }
}

/** Waits until `read` yields a value (e.g. a pid file the daemon writes once it runs). */
export async function waitFor<T>(
  read: () => Promise<T | undefined>,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const until = Date.now() + timeoutMs
  for (;;) {
    const v = await read()
    if (v !== undefined) return v
    if (Date.now() > until) throw new Error(`${what} did not appear within ${timeoutMs} ms`)
    await sleep(20)
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

/**
 * Live (non-zombie) members of a process group, from /proc (Linux; empty elsewhere). Dovecot's and
 * Postfix's masters call setsid() when they daemonize, so the master pid is the group id of every
 * process they start — even ones already re-parented to pid 1.
 */
export async function groupMembers(pgid: number): Promise<number[]> {
  const names = await readdir('/proc').catch(() => [] as string[])
  const out: number[] = []
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue
    const stat = await readFile(`/proc/${name}/stat`, 'utf8').catch(() => '')
    // Fields after the parenthesised command name (which may contain spaces): state ppid pgrp ...
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    if (Number(pgrp) === pgid && state !== 'Z') out.push(Number(name))
  }
  return out
}

/** SIGKILLs a whole process group and waits until none of it runs. */
export async function killGroup(pgid: number, timeoutMs = 5000): Promise<void> {
  try {
    process.kill(-pgid, 'SIGKILL')
  } catch {
    // group already empty
  }
  const until = Date.now() + timeoutMs
  while ((await groupMembers(pgid)).length > 0) {
    if (Date.now() > until) throw new Error(`processes of group ${pgid} survived SIGKILL`)
    await sleep(20)
  }
}
