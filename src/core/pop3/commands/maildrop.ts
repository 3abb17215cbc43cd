/**
 * DELE, RSET, NOOP and QUIT (RFC 1939 §5, §6). DELE only marks: the server removes marked messages in the
 * UPDATE state, which it enters only after QUIT. A connection that drops before QUIT's `+OK` removes
 * nothing, which is what lets the sync commit a message to the store before asking for its deletion.
 */
import type { Pop3Connection } from '../pop3-connection'
import { expectOk, messageNumber } from './command-helpers'

/** Marks message `n` deleted. It disappears from LIST/UIDL at once but only leaves the server at QUIT. */
export async function dele(conn: Pop3Connection, n: number, signal?: AbortSignal): Promise<void> {
  await expectOk(conn, `DELE ${messageNumber(n)}`, signal)
}

/** Unmarks every message marked deleted in this session. */
export async function rset(conn: Pop3Connection, signal?: AbortSignal): Promise<void> {
  await expectOk(conn, 'RSET', signal)
}

/** Keeps the connection alive; also a cheap "is it still there?" probe. */
export async function noop(conn: Pop3Connection, signal?: AbortSignal): Promise<void> {
  await expectOk(conn, 'NOOP', signal)
}

/**
 * QUIT: the server enters UPDATE, removes the marked messages and closes. `-ERR` (RFC 1939 §6: "some
 * deleted messages not removed") rejects with SERVER_ERROR, so the caller keeps those UIDs as "to delete".
 * The connection is closed afterwards in every case.
 */
export async function quit(conn: Pop3Connection, signal?: AbortSignal): Promise<void> {
  try {
    await expectOk(conn, 'QUIT', signal)
  } finally {
    conn.close()
  }
}
