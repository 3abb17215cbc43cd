import { accessSync, constants, existsSync, readFileSync } from 'node:fs'
import { delimiter, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { exec } from './exec'

/** A program (looked up in PATH) or an absolute file, and the Debian package that provides it. */
interface Requirement {
  what: string
  pkg: string
  /** Needed to run the lab itself; the rest only for the benches. */
  lab: boolean
}

const REQUIREMENTS: readonly Requirement[] = [
  { what: 'dovecot', pkg: 'dovecot-core', lab: true },
  { what: 'doveadm', pkg: 'dovecot-core', lab: true },
  { what: '/usr/lib/dovecot/imap', pkg: 'dovecot-imapd', lab: true },
  { what: '/usr/lib/dovecot/pop3', pkg: 'dovecot-pop3d', lab: true },
  { what: '/usr/lib/dovecot/lmtp', pkg: 'dovecot-lmtpd', lab: true },
  { what: 'postfix', pkg: 'postfix', lab: true },
  { what: 'postconf', pkg: 'postfix', lab: true },
  { what: 'openssl', pkg: 'openssl', lab: true },
  { what: 'swaks', pkg: 'swaks', lab: false },
  { what: 'mbsync', pkg: 'isync', lab: false },
  { what: 'fetchmail', pkg: 'fetchmail', lab: false },
  { what: 'notmuch', pkg: 'notmuch', lab: false },
]

// Daemons live in sbin, which a non-login shell's PATH may lack; the lab spawns them by name.
const SBIN = ['/usr/local/sbin', '/usr/sbin', '/sbin']
function withSbinInPath(): void {
  const parts = (process.env.PATH ?? '').split(delimiter)
  const missing = SBIN.filter((d) => !parts.includes(d))
  if (missing.length > 0) process.env.PATH = [...parts.filter(Boolean), ...missing].join(delimiter)
}

function present(what: string): boolean {
  const candidates = what.startsWith('/')
    ? [what]
    : (process.env.PATH ?? '').split(delimiter).map((d) => join(d, what))
  return candidates.some((p) => {
    try {
      accessSync(p, constants.X_OK)
      return true
    } catch {
      return false
    }
  })
}

/** What is missing, as `{ what, pkg }`; `scope: 'lab'` skips the bench-only tools. */
export function missingPrerequisites(scope: 'lab' | 'all' = 'all'): { what: string; pkg: string }[] {
  withSbinInPath()
  return REQUIREMENTS.filter((r) => (scope === 'all' || r.lab) && !present(r.what)).map(({ what, pkg }) => ({
    what,
    pkg,
  }))
}

function packagesOf(missing: readonly { pkg: string }[]): string[] {
  return [...new Set(missing.map((m) => m.pkg))]
}

function installHint(missing: readonly { what: string; pkg: string }[]): string {
  const pkgs = packagesOf(missing)
  return (
    `Missing for the mail lab: ${missing.map((m) => m.what).join(', ')}. ` +
    `Install the Debian/Ubuntu packages: ${pkgs.join(' ')} ` +
    `(e.g. sudo apt-get install ${pkgs.join(' ')}; preseed postfix with "No configuration"), ` +
    'or run `npm run lab -- ensure` as root on Debian/Ubuntu.'
  )
}

/** Throws, naming the packages, when the lab cannot run. Never lets a caller skip the lab silently. */
export async function assertLabBinaries(): Promise<void> {
  const missing = missingPrerequisites('lab')
  if (missing.length > 0) throw new Error(installHint(missing))
}

function isDebianLike(): boolean {
  if (existsSync('/etc/debian_version')) return true
  try {
    return /^(ID|ID_LIKE)=.*\b(debian|ubuntu)\b/m.test(readFileSync('/etc/os-release', 'utf8'))
  } catch {
    return false
  }
}

/**
 * Makes sure the lab (and, with scope 'all', the bench tools) can run: on Debian/Ubuntu as root it
 * installs what is missing with apt-get, preseeding Postfix as "No configuration" so the package
 * neither asks questions nor sets up a system mail server. Elsewhere it throws naming the packages.
 */
export async function ensurePrerequisites(
  scope: 'lab' | 'all' = 'all',
  log: (line: string) => void = () => {},
): Promise<void> {
  const missing = missingPrerequisites(scope)
  if (missing.length === 0) return
  const canInstall =
    process.platform === 'linux' && process.getuid?.() === 0 && isDebianLike() && present('apt-get')
  if (!canInstall) throw new Error(installHint(missing))
  const pkgs = packagesOf(missing)
  log(`Installing ${pkgs.join(' ')} with apt-get`)
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
  await exec('debconf-set-selections', [], {
    input: 'postfix postfix/main_mailer_type select No configuration\n',
    env,
  })
  await exec('apt-get', ['update'], { env })
  await exec('apt-get', ['install', '-y', '--no-install-recommends', ...pkgs], { env })
  const still = missingPrerequisites(scope)
  if (still.length > 0) throw new Error(`apt-get finished but still missing: ${installHint(still)}`)
}

// CLI: `tsx src/lab/prerequisites.ts [--lab-only]` — for CI and the test command.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const scope = process.argv.includes('--lab-only') ? 'lab' : 'all'
  ensurePrerequisites(scope, (line) => console.log(line)).then(
    () => console.log(`mail lab prerequisites (${scope}): ok`),
    (e: unknown) => {
      console.error(e instanceof Error ? e.message : String(e))
      process.exitCode = 1
    },
  )
}
