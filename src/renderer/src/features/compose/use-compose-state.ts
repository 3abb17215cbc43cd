import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import type { SmtpLimits } from '../../../../shared/contract/smtp'
import { MailError } from '../../../../shared/errors'
import type { DraftAttachment, DraftContent, RecipientEntry } from '../../store/compose-rows'
import { useWorkerLink } from '../../sync/worker-link-context'
import { formatRecipients, parseRecipients } from './address-parse'
import { sanitizeComposeHtml } from './compose-sanitize'
import { withoutUnusedInline } from '../../../../shared/mail/inline-images'
import { htmlToText } from './html-to-text'
import { identityKey } from './identities'
import type { Identity } from './reply-model'

/** Quiet time after the last keystroke before the draft is saved (locally first, the server follows). */
export const AUTOSAVE_MS = 1_500
/** After a failed save (e.g. a full disk), the next attempt without waiting for another keystroke. */
export const RETRY_SAVE_MS = 10_000

export interface ComposeFields {
  identity: string
  to: string
  cc: string
  bcc: string
  subject: string
  html: string
  attachments: DraftAttachment[]
}

/** 'full': the last save failed for lack of room (DISK_FULL); 'error': for another reason. */
export type SaveState = 'new' | 'saving' | 'saved' | 'error' | 'full'

/**
 * MIME size of the message as sent: base64 makes attachments 4/3 larger plus line ends; text, HTML and
 * headers are small next to that. Used only for the warning before sending.
 */
export function estimateSize(fields: Pick<ComposeFields, 'html' | 'attachments'>): number {
  const text = new TextEncoder().encode(fields.html).byteLength * 2
  return 4_096 + text + fields.attachments.reduce((sum, a) => sum + Math.ceil((a.size * 4) / 3) * 1.03, 0)
}

const fieldsOf = (d: DraftContent): ComposeFields => ({
  identity: identityKey({ accountId: d.accountId, address: d.from.address }),
  to: formatRecipients(d.to),
  cc: formatRecipients(d.cc),
  bcc: formatRecipients(d.bcc),
  subject: d.subject,
  html: d.html,
  attachments: d.attachments,
})

/** The composer's state, its autosave, and the draft it describes. */
export function useComposeState(initial: DraftContent, identities: readonly Identity[]) {
  const link = useWorkerLink()
  const [fields, setFields] = useState<ComposeFields>(() => fieldsOf(initial))
  const [saveState, setSaveState] = useState<SaveState>('new')
  const [limits, setLimits] = useState<SmtpLimits | null>(null)
  const dirty = useRef(false)
  // Set while Send hands the draft to the outbox: a later autosave would bring the sent draft back.
  const sealed = useRef(false)

  const identity = identities.find((i) => identityKey(i) === fields.identity) ?? identities[0]
  const parsed = useMemo(
    () => ({
      to: parseRecipients(fields.to),
      cc: parseRecipients(fields.cc),
      bcc: parseRecipients(fields.bcc),
    }),
    [fields.to, fields.cc, fields.bcc],
  )

  const draft = useCallback((): DraftContent => {
    const html = sanitizeComposeHtml(fields.html)
    const entries = (p: { entries: RecipientEntry[] }): RecipientEntry[] => p.entries
    return {
      ...initial,
      accountId: identity?.accountId ?? initial.accountId,
      from: identity ? { name: identity.name, address: identity.address } : initial.from,
      to: entries(parsed.to),
      cc: entries(parsed.cc),
      bcc: entries(parsed.bcc),
      subject: fields.subject,
      html,
      text: htmlToText(html),
      attachments: withoutUnusedInline(html, fields.attachments),
    }
  }, [fields, identity, initial, parsed])

  const update = useCallback((patch: Partial<ComposeFields>) => {
    dirty.current = true
    setFields((f) => ({ ...f, ...patch }))
  }, [])

  /** Saves the draft; false when it could not be (the composer then keeps it, as unsaved, and retries). */
  const save = useCallback(async (): Promise<boolean> => {
    if (sealed.current) return true
    dirty.current = false
    setSaveState('saving')
    try {
      await link.command({ kind: 'save-draft', draft: draft() })
      setSaveState('saved')
      return true
    } catch (error) {
      dirty.current = true
      setSaveState(error instanceof MailError && error.code === 'DISK_FULL' ? 'full' : 'error')
      return false
    }
  }, [link, draft])

  useEffect(() => {
    if (saveState !== 'error' && saveState !== 'full') return
    const timer = setTimeout(() => void save(), RETRY_SAVE_MS)
    return () => clearTimeout(timer)
  }, [saveState, save])

  useEffect(() => {
    if (!dirty.current || sealed.current) return
    const timer = setTimeout(() => void save(), AUTOSAVE_MS)
    return () => clearTimeout(timer)
  }, [fields, save])

  const accountId = identity?.accountId ?? initial.accountId
  useEffect(() => {
    let live = true
    link
      .callCore('smtp.limits', { accountId })
      .then((l) => live && setLimits(l))
      .catch(() => live && setLimits(null))
    return () => {
      live = false
    }
  }, [link, accountId])

  const seal = useCallback((on: boolean) => {
    sealed.current = on
  }, [])

  return {
    fields,
    update,
    parsed,
    draft,
    save,
    saveState,
    limits,
    identity,
    isDirty: () => dirty.current,
    /** Stops autosave while the draft is being sent (and again after a failed send). */
    seal,
  }
}
