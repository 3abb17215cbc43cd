import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react'
import { writeSetting } from '../components/local-settings'
import { useLocalSetting } from '../components/use-local-setting'
import { EMPTY_SELECTION, type Selection } from '../features/message-list/selection'
import { startupSnapshot } from './startup-snapshot'
import {
  isBool,
  isFilter,
  isMarkRead,
  isOrder,
  readViewPrefs,
  VIEW_KEYS,
  type FolderChoice,
  type ListFilter,
  type ListOrder,
  type MarkReadWhen,
} from './view-prefs'

export type { FolderChoice, ListFilter, ListOrder, MarkReadWhen } from './view-prefs'
export type ReadingPanePlacement = 'right' | 'bottom' | 'off'

/** How the visible list turns selected positions into message ids (it may have to read the store). */
export type IdResolver = (selection: Selection) => Promise<number[]>

export interface MailView {
  folder: FolderChoice | null
  chooseFolder(folder: FolderChoice | null): void
  filter: ListFilter
  setFilter(filter: ListFilter): void
  order: ListOrder
  setOrder(order: ListOrder): void
  readingPane: ReadingPanePlacement
  setReadingPane(placement: ReadingPanePlacement): void
  unifiedInbox: boolean
  setUnifiedInbox(on: boolean): void
  /** One row per thread (the newest message, with the thread's size) instead of one per message. */
  conversations: boolean
  setConversations(on: boolean): void
  query: string
  setQuery(query: string): void
  selection: Selection
  setSelection(selection: Selection): void
  /** When the message in the reading pane is marked read (View menu). */
  markRead: MarkReadWhen
  setMarkRead(when: MarkReadWhen): void
  /** The message in the reading pane: the one selected row, if exactly one is selected. */
  activeMessageId: number | null
  setActiveMessageId(id: number | null): void
  /** Set by whichever list is showing (folder or search results). */
  registerResolver(resolver: IdResolver | null): void
  selectedIds(): Promise<number[]>
}

const MailViewContext = createContext<MailView | undefined>(undefined)

const isPlacement = (v: unknown): v is ReadingPanePlacement => v === 'right' || v === 'bottom' || v === 'off'

/**
 * What the window is looking at. View state only; the mail itself is in the store. The window reopens the
 * folder, filter and sort order it showed when it was closed (view-prefs.ts), as Outlook and Thunderbird do:
 * the startup snapshot has already checked that folder still exists and read its first rows.
 */
export function MailViewProvider({ children }: { children: ReactNode }): React.JSX.Element {
  const [folder, setFolder] = useState<FolderChoice | null>(() => {
    const snapshot = startupSnapshot()
    // Unchecked without a snapshot: the folder pane checks it against the folders once they are read.
    return snapshot ? snapshot.open : readViewPrefs().folder
  })
  const [filter, setFilterState] = useLocalSetting<ListFilter>(VIEW_KEYS.filter, 'all', isFilter)
  const [order, setOrderState] = useLocalSetting<ListOrder>(VIEW_KEYS.order, 'newest', isOrder)
  const [readingPane, setReadingPane] = useLocalSetting<ReadingPanePlacement>(
    'reading-pane',
    'right',
    isPlacement,
  )
  const [unifiedInbox, setUnifiedInbox] = useLocalSetting<boolean>(VIEW_KEYS.unifiedInbox, true, isBool)
  const [conversations, setConversationsSetting] = useLocalSetting<boolean>(
    VIEW_KEYS.conversations,
    false,
    isBool,
  )
  // Remembered as it changes (a click, or the folder pane falling back when the folder disappears): the
  // page may be closed at any moment.
  useEffect(() => writeSetting(VIEW_KEYS.folder, folder), [folder])
  // Thunderbird's default, and what most mail apps do; Outlook users may prefer the delay (View menu).
  const [markRead, setMarkRead] = useLocalSetting<MarkReadWhen>(VIEW_KEYS.markRead, 'shown', isMarkRead)
  const [query, setQuery] = useState('')
  const [selection, setSelection] = useState<Selection>(EMPTY_SELECTION)
  const [activeMessageId, setActiveMessageId] = useState<number | null>(null)
  const resolver = useRef<IdResolver | null>(null)

  // A different list makes positions meaningless: start with nothing selected.
  const resetSelection = useCallback(() => {
    setSelection(EMPTY_SELECTION)
    setActiveMessageId(null)
  }, [])
  const chooseFolder = useCallback(
    (next: FolderChoice | null) => {
      setFolder(next)
      setQuery('')
      resetSelection()
    },
    [resetSelection],
  )
  const setFilter = useCallback(
    (next: ListFilter) => {
      setFilterState(next)
      resetSelection()
    },
    [setFilterState, resetSelection],
  )
  const setOrder = useCallback(
    (next: ListOrder) => {
      setOrderState(next)
      resetSelection()
    },
    [setOrderState, resetSelection],
  )
  const setConversations = useCallback(
    (on: boolean) => {
      setConversationsSetting(on)
      resetSelection()
    },
    [setConversationsSetting, resetSelection],
  )
  const setQueryAndReset = useCallback(
    (next: string) => {
      setQuery(next)
      resetSelection()
    },
    [resetSelection],
  )
  const registerResolver = useCallback((r: IdResolver | null) => {
    resolver.current = r
  }, [])

  const value = useMemo<MailView>(
    () => ({
      folder,
      chooseFolder,
      filter,
      setFilter,
      order,
      setOrder,
      readingPane,
      setReadingPane,
      unifiedInbox,
      setUnifiedInbox,
      conversations,
      setConversations,
      markRead,
      setMarkRead,
      query,
      setQuery: setQueryAndReset,
      selection,
      setSelection,
      activeMessageId,
      setActiveMessageId,
      registerResolver,
      selectedIds: () => (resolver.current ? resolver.current(selection) : Promise.resolve([])),
    }),
    [
      folder,
      chooseFolder,
      filter,
      setFilter,
      order,
      setOrder,
      readingPane,
      setReadingPane,
      unifiedInbox,
      setUnifiedInbox,
      conversations,
      setConversations,
      markRead,
      setMarkRead,
      query,
      setQueryAndReset,
      selection,
      activeMessageId,
      registerResolver,
    ],
  )
  return <MailViewContext.Provider value={value}>{children}</MailViewContext.Provider>
}

export function useMailView(): MailView {
  const value = useContext(MailViewContext)
  if (!value) throw new Error('useMailView() needs a <MailViewProvider> above it')
  return value
}
