import { useCallback, useEffect, useMemo, useState } from 'react'
import { useLiveQuery } from 'dexie-react-hooks'
import { readBody } from '../../store/bodies/body-store'
import type { MailDb } from '../../store/mail-db'
import type { MessageRow } from '../../store/rows'
import { useWorkerLink } from '../../sync/worker-link-context'
import { errorMessage } from '../../components/notify'
import type { ParsedMessage } from './parse-message'
import type { LimitReason } from './safety/display-limits'
import { parseInWorker } from './safety/parse-in-worker'
import { getMessage } from '../../store/messages'

export type BodyState =
  | { status: 'loading' }
  | { status: 'failed'; message: string; retry(): void }
  | { status: 'ready'; message: ParsedMessage }
  /** Beyond the display parser's limits (safety/display-limits.ts): shown as a notice and raw source. */
  | { status: 'limited'; reason: LimitReason; raw: Uint8Array }

/**
 * The opened message: its header row from the store, and its body. When the bytes are not stored yet the
 * sync worker is asked for them (`load-body`); the live query picks them up when it has stored them.
 */
export function useMessageBody(
  db: MailDb | undefined,
  messageId: number,
): { row: MessageRow | undefined; body: BodyState } {
  const link = useWorkerLink()
  const row = useLiveQuery(() => (db ? getMessage(db, messageId) : undefined), [db, messageId])
  const [attempt, setAttempt] = useState(0)
  // Bytes stored before the body files are in `bodies`; newer ones are read from the file the row points at
  // (the page reads it while the sync worker holds it open for appending). The table is read only for a row
  // without that reference: a row with one has no bytes there (readBodies reads it the same way).
  const shown = row?.id === messageId ? row : undefined
  const ref = shown?.body
  const inTable = shown !== undefined && ref === undefined
  // Keyed by the message: the hook keeps the last answer until the next, and another message's "none stored"
  // must not ask the worker to load this one.
  const legacy = useLiveQuery(
    async () => (db && inTable ? { messageId, row: (await db.bodies.get(messageId)) ?? null } : undefined),
    [db, messageId, inTable],
  )
  const legacyRow = inTable && legacy?.messageId === messageId ? legacy.row : undefined
  const refKey = ref ? `${ref.file}@${ref.offset}+${ref.length}` : null
  const [fromFile, setFromFile] = useState<{ key: string; raw?: Uint8Array; error?: string }>()
  useEffect(() => {
    if (!db || !ref || refKey === null) return
    let live = true
    readBody(db, { id: messageId, body: ref }).then(
      (raw) => live && setFromFile({ key: refKey, ...(raw ? { raw } : {}) }),
      (error: unknown) => live && setFromFile({ key: refKey, error: errorMessage(error) }),
    )
    return () => {
      live = false
    }
    // The ref's parts are its identity (refKey); the object itself is new with every row read.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [db, messageId, refKey, attempt])
  // One object per file read: the parse below runs again whenever `stored` is a new object, and a new one
  // every render re-parsed the message without end (the sandboxed frame kept reloading, blank).
  const fileRaw = fromFile?.key === refKey ? fromFile.raw : undefined
  const fromFileBody = useMemo(
    () => (fileRaw ? { messageId, raw: fileRaw } : undefined),
    [messageId, fileRaw],
  )
  const stored: { messageId: number; raw: Uint8Array } | null | undefined = ref ? fromFileBody : legacyRow
  const fileError = ref && fromFile?.key === refKey ? fromFile.error : undefined
  const [failure, setFailure] = useState<{ id: number; message: string }>()
  const [parsed, setParsed] = useState<{ id: number; result: ParsedMessage | LimitReason }>()
  const retry = useCallback(() => {
    setFailure(undefined)
    setAttempt((a) => a + 1)
  }, [])

  useEffect(() => {
    if (stored !== null) return
    let live = true
    link.command({ kind: 'load-body', messageId }).catch((error: unknown) => {
      if (live) setFailure({ id: messageId, message: errorMessage(error) })
    })
    return () => {
      live = false
    }
  }, [link, messageId, stored, attempt])

  useEffect(() => {
    if (!stored) return
    let live = true
    // In a worker, within limits; never rejects (a malformed message is a 'limited' outcome).
    // Keyed by the body's own id: right after a switch the live query still holds the previous message's
    // body, whose parse must not be shown under the new message's header.
    const id = stored.messageId
    void parseInWorker(stored.raw).then((outcome) => {
      if (live) setParsed({ id, result: outcome.kind === 'ok' ? outcome.message : outcome.reason })
    })
    return () => {
      live = false
    }
  }, [stored])

  let body: BodyState = { status: 'loading' }
  if (parsed?.id === messageId && stored?.messageId === messageId) {
    body =
      'code' in parsed.result
        ? { status: 'limited', reason: parsed.result, raw: stored.raw }
        : { status: 'ready', message: parsed.result }
  } else if (failure?.id === messageId && !stored) {
    body = { status: 'failed', message: failure.message, retry }
  } else if (fileError !== undefined) {
    body = { status: 'failed', message: fileError, retry }
  }
  return { row, body }
}
