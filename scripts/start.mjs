// `npm start`: set up everything a fresh machine needs, then start the app. Where the Electron binary is
// missing or cannot be downloaded, or there is no display, start the web host instead and print its address.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ensureNode22, ensureNpmDeps, log, repoRoot, run, runOrDie } from './bootstrap.mjs'

ensureNode22()
ensureNpmDeps()

const bin = (name) => join(repoRoot, 'node_modules', '.bin', name)

function hasDisplay() {
  if (process.platform === 'darwin' || process.platform === 'win32') return true
  return Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY)
}

function electronBinaryPresent() {
  const pathFile = join(repoRoot, 'node_modules', 'electron', 'path.txt')
  if (!existsSync(pathFile)) return false
  const exe = join(repoRoot, 'node_modules', 'electron', 'dist', readFileSync(pathFile, 'utf8').trim())
  return existsSync(exe)
}

function tryFetchElectron() {
  if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD === '1') return false
  log('Downloading the Electron binary …')
  const result = spawnSync(process.execPath, [join(repoRoot, 'node_modules', 'electron', 'install.js')], {
    cwd: repoRoot,
    stdio: 'inherit',
    timeout: 5 * 60_000,
  })
  return result.status === 0 && electronBinaryPresent()
}

runOrDie(bin('electron-vite'), ['build'])

const wantWeb = process.argv.includes('--web')
const wantDemo = !process.argv.includes('--no-demo')
if (wantDemo) {
  // The demo mailbox needs the mail lab's packages; installed when root on Debian. Elsewhere the app still
  // starts and says what to install for the demo.
  run(bin('tsx'), ['src/lab/prerequisites.ts', '--lab-only'])
}
const passThrough = process.argv.slice(2).filter((a) => a !== '--web' && a !== '--no-demo')
if (!wantWeb && hasDisplay() && (electronBinaryPresent() || tryFetchElectron())) {
  process.exit(run(bin('electron-vite'), ['preview']))
}
log(
  wantWeb
    ? 'Starting the web host (--web).'
    : hasDisplay()
      ? 'The Electron binary is not available on this machine; starting the web host instead.'
      : 'No display found; starting the web host instead. Open the printed address in a browser.',
)
process.exit(run(bin('tsx'), ['src/web/cli.ts', ...(wantDemo ? ['--demo-if-empty'] : []), ...passThrough]))
