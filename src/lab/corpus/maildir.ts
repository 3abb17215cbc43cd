// Writes a corpus as a Maildir (cur/ with read/unread variety), the form Dovecot, mbsync and notmuch read.

import { mkdirSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { CorpusMessage, CorpusMessageMeta } from './generate'

/**
 * A unique, deterministic Maildir file name: `<time>.M<index>P<seed>.corpus,S=<size>:2,<flags>`.
 * S= lets Dovecot skip a stat for the size.
 */
export function maildirFileName(meta: CorpusMessageMeta, seed: number): string {
  return `${Math.floor(meta.date.getTime() / 1000)}.M${meta.index}P${seed}.corpus,S=${meta.size}:2,${meta.maildirFlags}`
}

export interface MaildirWriteResult {
  count: number
  bytes: number
}

/**
 * Writes messages into `dir`/cur (creating cur, new, tmp). Each file's mtime is the message date, which
 * Dovecot uses as INTERNALDATE.
 */
export function writeMaildir(
  dir: string,
  messages: Iterable<CorpusMessage>,
  seed: number,
  onProgress?: (done: number) => void,
): MaildirWriteResult {
  for (const sub of ['cur', 'new', 'tmp']) mkdirSync(join(dir, sub), { recursive: true })
  let count = 0
  let bytes = 0
  for (const { raw, meta } of messages) {
    const file = join(dir, 'cur', maildirFileName(meta, seed))
    writeFileSync(file, raw)
    utimesSync(file, meta.date, meta.date)
    count++
    bytes += raw.length
    if (onProgress && count % 1000 === 0) onProgress(count)
  }
  return { count, bytes }
}
