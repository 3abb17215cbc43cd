/**
 * Small pieces every command file uses: send-and-require-`+OK`, draining a body into one Buffer or into
 * lines, and the guard that keeps CR/LF out of command arguments (a user name with "\r\nDELE 1" in it
 * would otherwise be a second command).
 */
import { MailError } from '../../../shared/errors'
import type { BodyStream } from '../body-stream'
import { statusError } from '../errors'
import type { Pop3Connection, Pop3Response } from '../pop3-connection'
import type { Pop3Status } from '../types'

/** Sends a single-line command and returns the `+OK` status; a `-ERR` becomes a MailError. */
export async function expectOk(
  conn: Pop3Connection,
  line: string,
  signal: AbortSignal | undefined,
  auth = false,
): Promise<Pop3Status> {
  const { status } = await conn.send(line, false, { signal })
  if (!status.ok || status.continuation) throw statusError(verbOf(line), status, conn.host, auth)
  return status
}

/** Sends a multi-line command and returns its body stream; a `-ERR` becomes a MailError. */
export async function expectBody(
  conn: Pop3Connection,
  line: string,
  signal: AbortSignal | undefined,
  pipelined = false,
): Promise<BodyStream> {
  const response: Pop3Response = await conn.send(line, true, { signal, pipelined })
  if (!response.status.ok || !response.body) throw statusError(verbOf(line), response.status, conn.host)
  return response.body
}

/** Reads a whole body into one Buffer: one copy at the end, so the cost stays linear in its size. */
export async function collect(body: AsyncIterable<Buffer>): Promise<Buffer> {
  const chunks: Buffer[] = []
  let length = 0
  for await (const chunk of body) {
    chunks.push(chunk)
    length += chunk.length
  }
  return Buffer.concat(chunks, length)
}

/** The lines of a listing body (CAPA, LIST, UIDL), without line ends, skipping empty ones. */
export async function collectLines(body: AsyncIterable<Buffer>): Promise<string[]> {
  const text = (await collect(body)).toString('latin1')
  return text.split(/\r?\n/).filter((l) => l.length > 0)
}

/** The command name, for error details (never its arguments). */
export function verbOf(line: string): string {
  return (line.split(' ')[0] ?? '').toUpperCase()
}

/** Refuses arguments that would end the command line early (RFC 1939 §3: commands end with CRLF). */
export function safeArgument(value: string, what: string): string {
  if (/[\r\n\0]/.test(value)) {
    throw new MailError(
      'INVALID_PARAMS',
      `The ${what} contains a line break. Remove it in the account settings.`,
    )
  }
  return value
}

/** A message number as POP3 wants it: a positive integer (RFC 1939 §3). */
export function messageNumber(n: number): string {
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new MailError('INVALID_PARAMS', `Invalid POP3 message number: ${n}.`)
  }
  return String(n)
}

/** A malformed field in an otherwise well-framed answer. */
export function badAnswer(host: string, context: string, field: string | undefined): MailError {
  return new MailError(
    'SERVER_ERROR',
    `${host} sent an answer this app cannot understand. Try again later.`,
    `${host}: bad field in ${context}: ${JSON.stringify(field)}`,
  )
}

/** Parses a decimal field of a server answer; malformed numbers are a protocol error, not NaN. */
export function parseCount(field: string | undefined, host: string, context: string): number {
  const value = field !== undefined && /^\d+$/.test(field) ? Number(field) : NaN
  if (!Number.isSafeInteger(value)) throw badAnswer(host, context, field)
  return value
}
