import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { homedir, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { createCore, type Core } from '../core/create-core'
import { createFileKeyCipher } from '../core/secrets/file-key-cipher'
import { realServerProbes } from '../core/server-probes'
import { startDemo, type Demo } from './demo'
import { startWebHost } from './web-host'

const HELP = `Usage: npm run web -- [--port N] [--data-dir DIR] [--demo | --demo-if-empty]

Serves Harbor Mail on http://127.0.0.1 for a browser (for machines that cannot run Electron, and for tests).
  --port N          port to listen on (default: a free one)
  --data-dir DIR    where the core keeps its state (default: ~/.local/share/harbor-mail-web)
  --demo            start a private demo mail server with an IMAP and a POP3 account full of sample mail
                    (state in a temporary directory, deleted on exit)
  --demo-if-empty   the demo, but only when DIR has no account yet (what \`npm start\` does)
  --pop3-safety-days N
                    days core keeps its copy of POP3 mail it removed from a server, after the local store
                    confirmed it (default 30; a store reset within that time loses nothing)
`

function defaultDataDir(): string {
  const base = process.env['XDG_DATA_HOME'] ?? join(homedir(), '.local', 'share')
  return join(base, 'harbor-mail-web')
}

async function openCore(dataDir: string, pop3SpoolGraceMs: number | undefined): Promise<Core> {
  return createCore({
    dataDir,
    ...(pop3SpoolGraceMs !== undefined ? { pop3SpoolGraceMs } : {}),
    mode: 'web',
    secretCipher: await createFileKeyCipher(dataDir),
    version: process.env['npm_package_version'] ?? '0.0.0',
    probes: realServerProbes,
  })
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      demo: { type: 'boolean' },
      'demo-if-empty': { type: 'boolean' },
      'pop3-safety-days': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  if (values.help) {
    process.stdout.write(HELP)
    return
  }
  const rendererDir = resolve(import.meta.dirname, '../../out/renderer')
  if (!existsSync(join(rendererDir, 'index.html'))) {
    throw new Error(`The app is not built (${rendererDir} is missing). Run: npm run build`)
  }
  const log = (line: string): void => void process.stderr.write(`${line}\n`)
  let dataDir = resolve(values['data-dir'] ?? defaultDataDir())
  const safetyDays = values['pop3-safety-days']
  if (safetyDays !== undefined && !(Number(safetyDays) >= 0)) {
    throw new Error(`--pop3-safety-days needs a number of days (0 or more), not "${safetyDays}"`)
  }
  const graceMs = safetyDays === undefined ? undefined : Number(safetyDays) * 86_400_000
  let core = await openCore(dataDir, graceMs)
  let demo: Demo | undefined
  let demoDir: string | undefined
  const wantsDemo =
    values.demo === true || (values['demo-if-empty'] === true && (await core.accounts.list()).length === 0)
  if (wantsDemo) {
    // The demo never touches the user's own data directory: its accounts point at a server that is gone
    // after this run.
    await core.dispose()
    demoDir = await mkdtemp(join(tmpdir(), 'harbor-demo-'))
    dataDir = demoDir
    core = await openCore(dataDir, graceMs)
    demo = await startDemo(core, log).catch((error: unknown) => {
      log(`The demo could not start: ${error instanceof Error ? error.message : String(error)}`)
      return undefined
    })
  }
  const host = await startWebHost({ rendererDir, rpc: core.rpc, port: values.port ? Number(values.port) : 0 })
  process.stdout.write(
    `Harbor Mail is running${demo ? ' with the demo mailboxes (Demo IMAP, Demo POP3)' : ''}. ` +
      `Open this address in a browser on this machine:\n\n  ${host.url}\n\n` +
      `(The #token part is the key: it changes on every start. Press Ctrl+C to stop.)\n` +
      (demo ? `To use your own accounts instead, start with: npm start -- --no-demo\n` : ''),
  )
  let stopping = false
  const stop = (): void => {
    if (stopping) return
    stopping = true
    void host
      .close()
      .then(() => core.dispose())
      .then(() => demo?.stop())
      .then(() => (demoDir ? rm(demoDir, { recursive: true, force: true }) : undefined))
      .finally(() => process.exit(0))
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}

main().catch((error: unknown) => {
  process.stderr.write(
    `Harbor Mail web host could not start: ${error instanceof Error ? error.message : String(error)}\n`,
  )
  process.exit(1)
})
