import { access, open } from 'node:fs/promises'
import { join } from 'node:path'
import { doveadm } from './dovecot'
import { labUser, maildirPath } from './lab-users'
import { createMaildir } from './lab-files'
import type { LabInfo } from './types'

export type ImapSystemFlag = '\\Seen' | '\\Answered' | '\\Flagged' | '\\Deleted' | '\\Draft'

/** A message for `loadMaildir` with optional flags and INTERNALDATE (stored as the file's mtime). */
export interface LabMaildirMessage {
  raw: Buffer
  flags?: readonly ImapSystemFlag[]
  date?: Date
}

export interface LoadMaildirOptions {
  /** Files written concurrently (default 64). */
  concurrency?: number
  /** Run `doveadm index` after the resync so the first FETCH does not build the cache (default true). */
  index?: boolean
}

export interface LoadMaildirResult {
  count: number
  bytes: number
  ms: number
}

// Maildir info letters must be in ASCII order (Maildir spec); Dovecot otherwise rewrites the names.
const FLAG_LETTER: Record<ImapSystemFlag, string> = {
  '\\Draft': 'D',
  '\\Flagged': 'F',
  '\\Answered': 'R',
  '\\Seen': 'S',
  '\\Deleted': 'T',
}

function infoSuffix(flags: readonly ImapSystemFlag[] | undefined): string {
  return (flags ?? [])
    .map((f) => FLAG_LETTER[f])
    .sort()
    .join('')
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  )
}

/**
 * Bulk-loads messages straight into a user's Maildir `cur/` and lets Dovecot pick them up with one
 * `force-resync` (+ `index`): no per-message doveadm or IMAP round trip, so 10k–100k messages load in
 * seconds. UIDs follow iteration order, because Dovecot sorts new files by the time/sequence in
 * their names. Do not run it while a client has the folder open if the test cares what it sees first.
 */
export async function loadMaildir(
  info: LabInfo,
  userName: string,
  folder: string,
  messages: Iterable<Buffer | LabMaildirMessage> | AsyncIterable<Buffer | LabMaildirMessage>,
  opts: LoadMaildirOptions = {},
): Promise<LoadMaildirResult> {
  const started = Date.now()
  const user = labUser(info, userName)
  const dir = maildirPath(info, user.name, folder)
  const isInbox = folder.toUpperCase() === 'INBOX'
  if (!isInbox && !(await exists(dir))) {
    // Through doveadm so the folder is also subscribed, like one a client created.
    const r = await doveadm(info.paths.dovecotConf, [
      'mailbox',
      'create',
      '-s',
      '-u',
      user.name,
      folder,
    ]).catch((e: unknown) => e)
    if (r instanceof Error && !/exists/i.test(r.message)) throw r
  }
  await createMaildir(dir)
  // Mark the dir as a Maildir++ subfolder (what Dovecot itself writes on create).
  if (!isInbox) await (await open(join(dir, 'maildirfolder'), 'a')).close()

  const baseSec = Math.floor(Date.now() / 1000)
  const tag = `P${process.pid}R${Math.random().toString(36).slice(2, 8)}`
  const concurrency = opts.concurrency ?? 64
  let seq = 0
  let bytes = 0
  const inflight = new Set<Promise<void>>()
  const writeOne = async (m: Buffer | LabMaildirMessage, n: number): Promise<void> => {
    const msg = Buffer.isBuffer(m) ? { raw: m } : m
    // <secs>.M<seq><tag>: Dovecot orders new files by secs then the M number, so UIDs keep our order.
    const name = `${baseSec}.M${n}${tag}.mail-lab,S=${msg.raw.length}:2,${infoSuffix(msg.flags)}`
    const fh = await open(join(dir, 'cur', name), 'wx', 0o600)
    try {
      await fh.writeFile(msg.raw)
      await fh.chown(info.mailUid, info.mailGid)
      if (msg.date) await fh.utimes(msg.date, msg.date)
    } finally {
      await fh.close()
    }
  }
  // Remember the first failure instead of letting later rejections go unhandled.
  let failure: unknown
  for await (const m of messages) {
    const p: Promise<void> = writeOne(m, seq++)
      .catch((e: unknown) => {
        failure ??= e
      })
      .finally(() => inflight.delete(p))
    bytes += Buffer.isBuffer(m) ? m.length : m.raw.length
    inflight.add(p)
    if (inflight.size >= concurrency) await Promise.race(inflight)
    if (failure !== undefined) break
  }
  await Promise.all(inflight)
  if (failure !== undefined) throw failure

  const conf = info.paths.dovecotConf
  await doveadm(conf, ['force-resync', '-u', user.name, folder])
  if (opts.index !== false) await doveadm(conf, ['index', '-u', user.name, folder])
  return { count: seq, bytes, ms: Date.now() - started }
}
