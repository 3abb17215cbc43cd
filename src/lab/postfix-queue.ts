import { chmod, chown, mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { exec } from './exec'

/** Numeric id of a system user or group (getent follows NSS, unlike reading /etc/passwd). */
async function idOf(db: 'passwd' | 'group', name: string): Promise<number> {
  const r = await exec('getent', [db, name], { check: false })
  const n = Number.parseInt(r.stdout.split(':')[2] ?? '', 10)
  if (r.code !== 0 || !Number.isInteger(n)) {
    throw new Error(
      `System ${db === 'passwd' ? 'user' : 'group'} "${name}" is missing: is the Debian package postfix installed?`,
    )
  }
  return n
}

// Owner, group ('postdrop' or root) and mode of each queue subdir, as in /etc/postfix/postfix-files.
const QUEUE_DIRS: readonly [string, 'postfix' | 'root', 'postdrop' | 'root', number][] = [
  ...[
    'active',
    'bounce',
    'corrupt',
    'defer',
    'deferred',
    'flush',
    'hold',
    'incoming',
    'private',
    'saved',
    'trace',
  ].map((d) => [d, 'postfix', 'root', 0o700] as [string, 'postfix', 'root', number]),
  ['maildrop', 'postfix', 'postdrop', 0o730],
  ['public', 'postfix', 'postdrop', 0o710],
  ['pid', 'root', 'root', 0o755],
]

/**
 * Lays out the queue and data dirs exactly as `post-install create-missing` would, because the lab
 * starts Postfix's master directly (see startPostfix) and so skips postfix-script, which creates them.
 */
export async function prepareQueue(queueDir: string, dataDir: string): Promise<void> {
  const ids = {
    postfix: await idOf('passwd', 'postfix'),
    postdrop: await idOf('group', 'postdrop'),
    root: 0,
  }
  await mkdir(queueDir, { recursive: true })
  await chmod(queueDir, 0o755)
  for (const [name, owner, group, mode] of QUEUE_DIRS) {
    const path = join(queueDir, name)
    await mkdir(path, { recursive: true })
    await chown(path, ids[owner], ids[group])
    await chmod(path, mode)
  }
  await mkdir(dataDir, { recursive: true })
  await chown(dataDir, ids.postfix, 0)
  await chmod(dataDir, 0o700)
}
