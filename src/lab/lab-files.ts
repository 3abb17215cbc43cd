import { chmod, chown, mkdir, utimes, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { createCerts } from './certs'
import { renderDovecotConf, renderPasswdFile } from './dovecot-config'
import { renderMainCf, renderMasterCf, renderTransportMap, renderVirtualMailboxMap } from './postfix-config'
import { portsFrom } from './ports'
import { prepareQueue } from './postfix-queue'
import type { LabInfo, LabUser, LabUserSpec } from './types'

export const LAB_DOMAIN = 'lab.test'
export const MAIL_UID = 5000
export const MAIL_GID = 5000
// erin and frank are for the lab's own tests on the shared lab, so other suites can rely on what
// alice..dave hold (e.g. "bob's INBOX has exactly the message I delivered").
export const DEFAULT_USERS: readonly LabUserSpec[] = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank'].map(
  (name) => ({ name }),
)

function toUsers(specs: readonly LabUserSpec[]): LabUser[] {
  const seen = new Set<string>()
  return specs.map((s) => {
    if (!/^[a-z][a-z0-9._-]*$/.test(s.name))
      throw new Error(`Lab user name must be lowercase [a-z0-9._-]: ${s.name}`)
    if (seen.has(s.name)) throw new Error(`Duplicate lab user ${s.name}`)
    seen.add(s.name)
    const password = s.password ?? `${s.name}-lab-password`
    if (/[:\n]/.test(password)) throw new Error(`Lab password for ${s.name} may not contain ':' or newlines`)
    return {
      name: s.name,
      address: `${s.name}@${LAB_DOMAIN}`,
      password,
      intlAddress: `${s.name}.müller@${LAB_DOMAIN}`,
    }
  })
}

/**
 * Writes certs, configs, passwd file and empty Maildirs into `dir` and returns the lab's description.
 * Nothing is started here.
 */
export async function writeLabFiles(
  id: string,
  dir: string,
  basePort: number,
  specs: readonly LabUserSpec[],
): Promise<LabInfo> {
  const users = toUsers(specs)
  const ports = portsFrom(basePort)
  const d = (...p: string[]): string => join(dir, ...p)
  const paths = {
    dovecotConf: d('dovecot', 'dovecot.conf'),
    dovecotBaseDir: d('dovecot', 'run'),
    postfixDir: d('postfix'),
    postfixQueueDir: d('postfix', 'queue'),
    mailRoot: d('mail'),
    dovecotLog: d('logs', 'dovecot.log'),
    postfixLog: d('logs', 'postfix.log'),
  }
  // Dovecot's login/auth users and Postfix's daemons must traverse the lab dir (mkdtemp makes it 0700).
  await chmod(dir, 0o755)
  for (const sub of ['tls', 'dovecot', 'dovecot/state', 'postfix', 'mail', 'logs']) {
    await mkdir(d(sub), { recursive: true, mode: 0o755 })
  }
  const certs = await createCerts(d('tls'))
  const authSocket = d('dovecot', 'sasl-auth')
  const passwdFile = d('dovecot', 'passwd')
  await writeFile(
    passwdFile,
    renderPasswdFile(users, MAIL_UID, MAIL_GID, (name) => join(paths.mailRoot, name)),
    { mode: 0o644 },
  )
  await writeFile(
    paths.dovecotConf,
    renderDovecotConf({
      instanceName: `mail-lab-${id}`,
      domain: LAB_DOMAIN,
      ports,
      certs,
      mailUid: MAIL_UID,
      mailGid: MAIL_GID,
      paths: {
        baseDir: paths.dovecotBaseDir,
        stateDir: d('dovecot', 'state'),
        log: paths.dovecotLog,
        passwdFile,
        authSocket,
      },
    }),
  )
  const postfixInput = {
    configDir: paths.postfixDir,
    queueDir: paths.postfixQueueDir,
    dataDir: d('postfix', 'data'),
    log: paths.postfixLog,
    domain: LAB_DOMAIN,
    ports,
    certs,
    authSocket,
    vmailboxMap: d('postfix', 'vmailbox'),
    transportMap: d('postfix', 'transport'),
    mailRoot: paths.mailRoot,
    mailUid: MAIL_UID,
    mailGid: MAIL_GID,
  }
  await writeFile(d('postfix', 'main.cf'), renderMainCf(postfixInput))
  await writeFile(d('postfix', 'master.cf'), renderMasterCf(postfixInput))
  await writeFile(postfixInput.vmailboxMap, renderVirtualMailboxMap(users))
  await writeFile(postfixInput.transportMap, renderTransportMap(users))
  // Postfix re-reads a config or map file written within the current second (every 300 ms, to avoid
  // reading it half-edited): ~2 s of start time. Backdating the files skips that.
  const past = new Date(Date.now() - 60_000)
  for (const f of ['main.cf', 'master.cf', 'vmailbox', 'transport']) await utimes(d('postfix', f), past, past)
  await prepareQueue(postfixInput.queueDir, postfixInput.dataDir)
  await Promise.all(users.map((u) => createMaildir(join(paths.mailRoot, u.name, 'Maildir'))))
  await Promise.all(users.map((u) => chown(join(paths.mailRoot, u.name), MAIL_UID, MAIL_GID)))
  return {
    id,
    dir,
    domain: LAB_DOMAIN,
    host: '127.0.0.1',
    ports,
    caPem: certs.caPem,
    users,
    mailUid: MAIL_UID,
    mailGid: MAIL_GID,
    paths,
  }
}

/** cur/new/tmp owned by the mail uid, so Dovecot (running as that uid) can rename and add files. */
export async function createMaildir(path: string): Promise<void> {
  for (const sub of ['', 'cur', 'new', 'tmp']) {
    await mkdir(join(path, sub), { recursive: true, mode: 0o700 })
    await chown(join(path, sub), MAIL_UID, MAIL_GID)
  }
}
