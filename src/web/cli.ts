import { existsSync } from 'node:fs'
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { createCore } from '../core/create-core'
import { realServerProbes } from '../core/server-probes'
import { createFileKeyCipher } from '../core/secrets/file-key-cipher'
import { startWebHost } from './web-host'

const HELP = `Usage: npm run web -- [--port N] [--data-dir DIR]

Serves Harbor Mail on http://127.0.0.1 for a browser (for machines that cannot run Electron, and for tests).
  --port N        port to listen on (default: a free one)
  --data-dir DIR  where the core keeps its state (default: ~/.local/share/harbor-mail-web)
`

function defaultDataDir(): string {
  const base = process.env['XDG_DATA_HOME'] ?? join(homedir(), '.local', 'share')
  return join(base, 'harbor-mail-web')
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      'data-dir': { type: 'string' },
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
  const dataDir = resolve(values['data-dir'] ?? defaultDataDir())
  const core = await createCore({
    dataDir,
    mode: 'web',
    secretCipher: await createFileKeyCipher(dataDir),
    version: process.env['npm_package_version'] ?? '0.0.0',
    probes: realServerProbes,
  })
  const host = await startWebHost({ rendererDir, rpc: core.rpc, port: values.port ? Number(values.port) : 0 })
  process.stdout.write(
    `Harbor Mail is running. Open this address in a browser on this machine:\n\n  ${host.url}\n\n` +
      `(The #token part is the key: it changes on every start. Press Ctrl+C to stop.)\n`,
  )
  const stop = (): void => {
    void host
      .close()
      .then(() => core.dispose())
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
