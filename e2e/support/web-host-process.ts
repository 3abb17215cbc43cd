import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

export interface WebHostProcess {
  url: string
  origin: string
  token: string
  dataDir: string
  child: ChildProcess
  stop(): Promise<void>
}

const repoRoot = resolve(import.meta.dirname, '../..')

/**
 * Starts the web host exactly as a user does (`tsx src/web/cli.ts`), as a separate process, and reads the
 * address it prints. Tests that need a core crash can SIGKILL `child`.
 */
export async function startWebHostProcess(
  opts: {
    dataDir?: string
    args?: string[]
    env?: NodeJS.ProcessEnv
    /** The checkout whose core and out/renderer to serve (benches comparing two trees); default this one. */
    root?: string
  } = {},
): Promise<WebHostProcess> {
  const dataDir = opts.dataDir ?? (await mkdtemp(join(tmpdir(), 'harbor-e2e-')))
  const root = opts.root ?? repoRoot
  const child = spawn(
    join(root, 'node_modules/.bin/tsx'),
    ['src/web/cli.ts', '--data-dir', dataDir, ...(opts.args ?? [])],
    {
      cwd: root,
      env: opts.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  let output = ''
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`web host did not print its address in 60 s:\n${output}`)),
      60_000,
    )
    const onData = (chunk: Buffer): void => {
      output += chunk.toString()
      const match = /(http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]+)/.exec(output)
      if (match?.[1]) {
        clearTimeout(timer)
        resolveUrl(match[1])
      }
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', onData)
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`web host exited (${code}) before printing its address:\n${output}`))
    })
  })
  const parsed = new URL(url)
  return {
    url,
    origin: parsed.origin,
    token: parsed.hash.replace('#token=', ''),
    dataDir,
    child,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r))
        child.kill('SIGTERM')
        await exited
      }
      if (!opts.dataDir) await rm(dataDir, { recursive: true, force: true })
    },
  }
}
