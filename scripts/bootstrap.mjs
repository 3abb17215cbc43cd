// Set-up shared by `npm start` and `npm test` on a fresh machine. Plain JavaScript on purpose: it must run on
// whatever Node the machine has (Debian 12 ships 20) before any dependency is installed.
import { spawnSync } from 'node:child_process'
import { existsSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..')
const REQUIRED_NODE_MAJOR = 22
const localNodeDir = join(repoRoot, '.tools', 'node22')
const localNodeBin = join(localNodeDir, 'node_modules', 'node', 'bin')

export function log(message) {
  process.stderr.write(`[setup] ${message}\n`)
}

export function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', cwd: repoRoot, ...options })
  if (result.error) throw new Error(`could not run ${command}: ${result.error.message}`)
  return result.status ?? 1
}

export function runOrDie(command, args, options = {}) {
  const status = run(command, args, options)
  if (status !== 0) {
    log(`\`${command} ${args.join(' ')}\` failed (exit ${status}).`)
    process.exit(status)
  }
}

/**
 * The project targets Node 22 LTS (Electron 45, Vitest 5 and Vite 8 need it). If this Node is older, fetch
 * Node 22 from the npm registry (the `node` package ships the official binary) into .tools/ and re-run
 * this same script under it, with it first on PATH so every child (npm, npx, tsx) uses it too.
 */
export function ensureNode22() {
  const major = Number(process.versions.node.split('.')[0])
  if (major >= REQUIRED_NODE_MAJOR) return
  if (!existsSync(join(localNodeBin, 'node'))) {
    log(
      `Node ${process.versions.node} is too old; installing Node ${REQUIRED_NODE_MAJOR} into .tools/node22 …`,
    )
    runOrDie('npm', [
      'install',
      '--no-save',
      '--no-audit',
      '--no-fund',
      '--prefix',
      localNodeDir,
      `node@${REQUIRED_NODE_MAJOR}`,
    ])
  }
  const env = { ...process.env, PATH: `${localNodeBin}:${process.env.PATH ?? ''}` }
  process.exit(run(join(localNodeBin, 'node'), process.argv.slice(1), { env }))
}

/** npm ci when node_modules is missing or older than the lock file. */
export function ensureNpmDeps() {
  const marker = join(repoRoot, 'node_modules', '.package-lock.json')
  const lock = join(repoRoot, 'package-lock.json')
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return
  log('Installing npm dependencies (npm ci) …')
  // The Electron binary is fetched separately (see start.mjs), so a machine that cannot download it still
  // gets a working install: typecheck, build, tests and the web host need no Electron binary.
  runOrDie('npm', ['ci', '--no-audit', '--no-fund'], {
    env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' },
  })
}

function isRootOnDebian() {
  return process.platform === 'linux' && process.getuid?.() === 0 && existsSync('/etc/debian_version')
}

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/** Debian's Chromium for the end-to-end tests (Playwright's own browser download is not used). */
export function ensureChromium() {
  if (existsSync(chromiumPath)) return
  if (!isRootOnDebian()) {
    log(
      `Chromium is missing (${chromiumPath}). Install it (Debian/Ubuntu: apt-get install chromium) or set CHROMIUM_PATH.`,
    )
    process.exit(1)
  }
  log('Installing chromium with apt-get …')
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
  runOrDie('apt-get', ['update', '-q'], { env })
  runOrDie('apt-get', ['install', '-y', '-q', '--no-install-recommends', 'chromium', 'fonts-dejavu-core'], {
    env,
  })
}

/** Debian packages for the mail lab (Dovecot, Postfix, …): installed when root on Debian, else named. */
export function ensureLabPackages() {
  runOrDie(join(repoRoot, 'node_modules', '.bin', 'tsx'), ['src/lab/prerequisites.ts'])
}
