import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'

export interface ExecResult {
  code: number
  stdout: string
  stderr: string
}

export interface ExecOptions {
  input?: string | Buffer
  /** Throw on a non-zero exit (default true). */
  check?: boolean
  env?: NodeJS.ProcessEnv
}

/**
 * Runs a program without a shell and collects its output. Daemons that fork (dovecot, postfix) keep the
 * inherited stdout open, so callers starting daemons must use `spawnDetachedToLog` instead of this.
 */
export function exec(cmd: string, args: readonly string[], opts: ExecOptions = {}): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'], env: opts.env ?? process.env })
    const out: Buffer[] = []
    const err: Buffer[] = []
    child.stdout.on('data', (b: Buffer) => out.push(b))
    child.stderr.on('data', (b: Buffer) => err.push(b))
    child.on('error', reject)
    child.on('close', (code) => {
      const result = {
        code: code ?? -1,
        stdout: Buffer.concat(out).toString(),
        stderr: Buffer.concat(err).toString(),
      }
      if (result.code !== 0 && opts.check !== false) {
        const detail = (result.stderr || result.stdout).trim()
        reject(new Error(`${cmd} ${args.join(' ')} exited with ${result.code}${detail ? `: ${detail}` : ''}`))
      } else resolve(result)
    })
    child.stdin.end(opts.input)
  })
}

/** The last `n` lines of a log file, or a note that it does not exist (for error messages). */
export async function tailFile(path: string, n = 20): Promise<string> {
  try {
    const text = await readFile(path, 'utf8')
    return text.trimEnd().split('\n').slice(-n).join('\n')
  } catch {
    return '(log file not written)'
  }
}

/** An error that says which log to read and quotes its end, so a failed start is diagnosable from CI output. */
export async function errorWithLog(message: string, logPath: string, cause?: unknown): Promise<Error> {
  const why = cause instanceof Error ? `: ${cause.message}` : ''
  const tail = await tailFile(logPath)
  return new Error(`${message}${why}\nLog ${logPath} ends with:\n${tail}`, { cause })
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/**
 * Whether a process is running (signal 0 probes without touching it; EPERM still means "exists").
 * A zombie counts as dead: daemons whose master exited get re-parented to pid 1, and on some machines
 * (e.g. a firecracker init) pid 1 never reaps them.
 */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z'
  } catch {
    return process.platform !== 'linux'
  }
}
