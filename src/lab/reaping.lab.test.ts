import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { connect } from 'node:net'
import { describe, expect, it } from 'vitest'
import { groupMembers, readPidFile } from './daemon'
import { pidAlive } from './exec'
import { startLab } from './lab'
import type { LabInfo } from './types'

// "No leftovers after a crashed run": a lab whose owner was SIGKILLed keeps its daemons running (they
// daemonize); the next startLab must find it under the runs dir and stop it by its own config.

interface ChildLab {
  info: LabInfo & { startMs: number }
  kill(): void
}

/** Runs `cli.ts start` in a plain node child (not via the tsx wrapper, so the child is the owner). */
function startLabInChild(): Promise<ChildLab> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/lab/cli.ts', 'start'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  let err = ''
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`child lab did not start: ${err}`)), 30_000)
    child.stderr.on('data', (b: Buffer) => (err += b.toString()))
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString()
      try {
        const info = JSON.parse(out) as ChildLab['info']
        clearTimeout(timer)
        resolve({ info, kill: () => child.kill('SIGKILL') })
      } catch {
        // JSON not complete yet
      }
    })
    child.once('exit', (code) => reject(new Error(`child exited with ${code}: ${err}`)))
  })
}

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ port, host: '127.0.0.1' })
    s.once('connect', () => {
      s.destroy()
      resolve(false)
    })
    s.once('error', () => resolve(true))
  })
}

describe('leftover reaping', () => {
  it('startLab stops and deletes a lab whose owner process was SIGKILLed', async () => {
    const crashed = await startLabInChild()
    const { paths, ports, dir } = crashed.info
    const dovecotPid = await readPidFile(`${paths.dovecotBaseDir}/master.pid`)
    const postfixPid = await readPidFile(`${paths.postfixQueueDir}/pid/master.pid`)
    expect(dovecotPid).toBeGreaterThan(1)
    expect(postfixPid).toBeGreaterThan(1)
    crashed.kill()
    await new Promise((r) => setTimeout(r, 300))
    // The crash really leaves servers behind...
    expect(pidAlive(dovecotPid!)).toBe(true)
    expect(pidAlive(postfixPid!)).toBe(true)
    expect(await refused(ports.imaps)).toBe(false)

    const next = await startLab()
    try {
      // ...and the next lab's start removed them, every process of both groups, and the directory.
      expect(pidAlive(dovecotPid!)).toBe(false)
      expect(pidAlive(postfixPid!)).toBe(false)
      expect(await groupMembers(dovecotPid!)).toEqual([])
      expect(await groupMembers(postfixPid!)).toEqual([])
      expect(existsSync(dir)).toBe(false)
      for (const port of [
        ports.imap,
        ports.imaps,
        ports.pop3,
        ports.pop3s,
        ports.lmtp,
        ports.submission,
        ports.submissions,
      ]) {
        expect(await refused(port)).toBe(true)
      }
    } finally {
      await next.stop()
    }
    expect(existsSync(next.dir)).toBe(false)
  })
})
