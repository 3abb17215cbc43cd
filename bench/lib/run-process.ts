// Runs a reference tool (mbsync, fetchmail, notmuch) with a deadline, killing only the child it started.

import { spawn } from 'node:child_process'

export interface ProcessResult {
  code: number | null
  stdout: string
  stderr: string
  seconds: number
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv
  cwd?: string
  signal?: AbortSignal
  /** Non-zero exit codes that still count as success (fetchmail exits 1 for "no new mail"). */
  okCodes?: readonly number[]
}

const MAX_OUTPUT = 1 << 20

export function runProcess(
  cmd: string,
  args: readonly string[],
  opts: RunOptions = {},
): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const child = spawn(cmd, args, {
      env: opts.env ?? process.env,
      cwd: opts.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => {
      if (stdout.length < MAX_OUTPUT) stdout += d.toString()
    })
    child.stderr.on('data', (d: Buffer) => {
      if (stderr.length < MAX_OUTPUT) stderr += d.toString()
    })
    const onAbort = (): void => {
      child.kill('SIGKILL')
    }
    opts.signal?.addEventListener('abort', onAbort, { once: true })
    child.on('error', (err) => {
      opts.signal?.removeEventListener('abort', onAbort)
      reject(err)
    })
    child.on('close', (code) => {
      opts.signal?.removeEventListener('abort', onAbort)
      const seconds = (performance.now() - started) / 1000
      const result = { code, stdout, stderr, seconds }
      if (opts.signal?.aborted)
        reject(opts.signal.reason instanceof Error ? opts.signal.reason : new Error('aborted'))
      else if (code === 0 || (code !== null && opts.okCodes?.includes(code))) resolve(result)
      else reject(new Error(`${cmd} exited with ${code}: ${(stderr || stdout).trim().slice(-2000)}`))
    })
  })
}
