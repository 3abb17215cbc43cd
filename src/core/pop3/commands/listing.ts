/**
 * The TRANSACTION state listings: STAT, LIST and UIDL (RFC 1939 §5, §7), for the whole maildrop or one
 * message. Message numbers are valid for this session only; UIDL ids are what identify a message across
 * sessions, which is what the sync compares with the store.
 */
import type { Pop3Connection } from '../pop3-connection'
import type { Pop3ListEntry, Pop3Stat, Pop3UidlEntry } from '../types'
import { badAnswer, collectLines, expectBody, expectOk, messageNumber, parseCount } from './command-helpers'

/** RFC 1939 §7: a unique-id is 1 to 70 characters in the range 0x21 to 0x7E. */
const UID_PATTERN = /^[\x21-\x7e]{1,70}$/

function fields(text: string): string[] {
  return text.trim().split(/\s+/)
}

/** STAT: message count and maildrop size in octets ("+OK nn mm", RFC 1939 §5). */
export async function stat(conn: Pop3Connection, signal?: AbortSignal): Promise<Pop3Stat> {
  const status = await expectOk(conn, 'STAT', signal)
  const [count, size] = fields(status.text)
  return { count: parseCount(count, conn.host, 'STAT'), size: parseCount(size, conn.host, 'STAT') }
}

function parseListLine(line: string, host: string): Pop3ListEntry {
  const [n, size] = fields(line)
  return { n: parseCount(n, host, 'LIST'), size: parseCount(size, host, 'LIST') }
}

function parseUidlLine(line: string, host: string): Pop3UidlEntry {
  const [n, uid] = fields(line)
  const number = parseCount(n, host, 'UIDL')
  // Some servers send ids outside the RFC range; keep them (they are still opaque keys) unless missing.
  if (uid === undefined || uid.length === 0) throw badAnswer(host, 'UIDL', line)
  return { n: number, uid }
}

/** LIST: every message not marked deleted, with its size. */
export async function list(conn: Pop3Connection, signal?: AbortSignal): Promise<Pop3ListEntry[]> {
  const body = await expectBody(conn, 'LIST', signal)
  return (await collectLines(body)).map((line) => parseListLine(line, conn.host))
}

/** LIST n: one message's size. A missing or deleted message rejects with NOT_FOUND. */
export async function listOne(conn: Pop3Connection, n: number, signal?: AbortSignal): Promise<Pop3ListEntry> {
  const status = await expectOk(conn, `LIST ${messageNumber(n)}`, signal)
  return parseListLine(status.text, conn.host)
}

/** UIDL: every message's unique id. Rejects with SERVER_ERROR if the server has no UIDL. */
export async function uidl(conn: Pop3Connection, signal?: AbortSignal): Promise<Pop3UidlEntry[]> {
  const body = await expectBody(conn, 'UIDL', signal)
  return (await collectLines(body)).map((line) => parseUidlLine(line, conn.host))
}

/** UIDL n: one message's unique id. */
export async function uidlOne(conn: Pop3Connection, n: number, signal?: AbortSignal): Promise<Pop3UidlEntry> {
  const status = await expectOk(conn, `UIDL ${messageNumber(n)}`, signal)
  return parseUidlLine(status.text, conn.host)
}

/** True if the id is within RFC 1939 §7's syntax (callers may log the odd ones). */
export function isStrictUid(uid: string): boolean {
  return UID_PATTERN.test(uid)
}
