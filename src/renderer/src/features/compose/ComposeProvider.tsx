import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react'
import { useAccounts } from '../../app/accounts-context'
import { useMailDb } from '../../app/use-mail-db'
import { useNotify } from '../../components/notify'
import type { ComposeKind, DraftContent } from '../../store/compose-rows'
import { useWorkerLink } from '../../sync/worker-link-context'
import { ComposeDialog } from './ComposeDialog'
import { identitiesOf, identityFor } from './identities'
import { loadSource } from './load-source'
import { OutboxDialog } from './OutboxDialog'
import { initialDraft } from './reply-model'
import { sanitizeComposeHtml } from './compose-sanitize'
import { loadServerDraft } from './server-draft'
import { useAddressBook } from './use-address-book'
import { getMessage } from '../../store/messages'

export interface Composer {
  /** Opens a composer; replies and forwards need the message they answer (the reading pane's). */
  open(kind: ComposeKind, sourceId?: number | null): void
  openDraft(draft: DraftContent): void
  /** Opens a message of a Drafts folder (e.g. saved by another device) in the composer. */
  openServerDraft(localId: number): void
  openOutbox(): void
}

const ComposerContext = createContext<Composer | undefined>(undefined)

const TITLES: Record<ComposeKind, string> = {
  new: 'New message',
  reply: 'Reply',
  'reply-all': 'Reply all',
  forward: 'Forward',
  'forward-attachment': 'Forward as attachment',
}

/** Owns the open composer and the Outbox view; everything else calls `useComposer()`. */
export function ComposeProvider({ children }: { children: ReactNode }): React.JSX.Element {
  const { accounts } = useAccounts()
  const db = useMailDb()
  const link = useWorkerLink()
  const notify = useNotify()
  const [open, setOpen] = useState<{ draft: DraftContent; title: string; key: number } | null>(null)
  // Read only while a composer is open: kept live all the time, it re-read 3,000 rows every 2 s of a sync.
  const book = useAddressBook(open ? db : undefined)
  const [outbox, setOutbox] = useState(false)

  const identities = useMemo(() => identitiesOf(accounts ?? []), [accounts])

  const start = useCallback(
    async (kind: ComposeKind, sourceId: number | null): Promise<void> => {
      if (identities.length === 0) return notify.info('Add an account first.', 'warning')
      const needsSource = kind !== 'new'
      if (needsSource && (sourceId === null || !db)) return notify.info('Select a message first.')
      const source = needsSource && db && sourceId !== null ? await loadSource(db, link, sourceId) : null
      const sourceAccount = source && db ? (await getMessage(db, source.localId))?.accountId : undefined
      const identity = identityFor(identities, sourceAccount, source)!
      const self = identities.map((i) => i.address)
      const draft = initialDraft(kind, identity, self, source, sanitizeComposeHtml)
      setOpen({ draft, title: TITLES[kind], key: Date.now() })
    },
    [identities, db, link, notify],
  )

  const composer = useMemo<Composer>(
    () => ({
      open: (kind, sourceId = null) =>
        void start(kind, sourceId).catch((error: unknown) => notify.error(`${TITLES[kind]} failed`, error)),
      openDraft: (draft) => {
        setOutbox(false)
        setOpen({ draft, title: 'Draft', key: Date.now() })
      },
      openServerDraft: (localId) => {
        if (!db) return
        loadServerDraft(db, link, localId)
          .then((draft) => setOpen({ draft, title: 'Draft', key: Date.now() }))
          .catch((error: unknown) => notify.error('Could not open the draft', error))
      },
      openOutbox: () => setOutbox(true),
    }),
    [start, notify, db, link],
  )

  return (
    <ComposerContext.Provider value={composer}>
      {children}
      {open && (
        <ComposeDialog
          key={open.key}
          initial={open.draft}
          identities={identities}
          book={book}
          title={open.title}
          onClose={() => setOpen(null)}
        />
      )}
      {outbox && <OutboxDialog onClose={() => setOutbox(false)} onOpenDraft={composer.openDraft} />}
    </ComposerContext.Provider>
  )
}

export function useComposer(): Composer {
  const value = useContext(ComposerContext)
  if (!value) throw new Error('useComposer outside ComposeProvider')
  return value
}
