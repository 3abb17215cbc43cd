import { createContext, memo, use, useCallback, useEffect, useRef, useState } from 'react'
import {
  makeStyles,
  Menu,
  MenuTrigger,
  Spinner,
  Text,
  tokens,
  useMergedRefs,
} from '@fluentui/react-components'
import { useMailView } from '../../app/mail-view'
import { markStartup } from '../../app/startup-marks'
import { useStoreUpgrading } from './use-store-upgrading'
import { MessageContextMenu } from '../actions/MessageContextMenu'
import { itemAt, itemOfRow, rowCount, type ItemHeights } from './list-layout'
import type { ListSource } from './list-source'
import { startMessageDrag } from './message-drag'
import { GroupHeaderView, HEADER_HEIGHT, MessageRowView, ROW_HEIGHT } from './MessageRowView'
import { useItemWindow } from './use-item-window'
import { useSelectionFollowsMessages } from './use-selection-follows'
import {
  clampSelection,
  isSelected,
  select,
  selectAll,
  selectedCount,
  singleSelected,
  type SelectGesture,
} from './selection'

const useStyles = makeStyles({
  scroller: {
    flex: 1,
    minHeight: 0,
    overflowY: 'auto',
    position: 'relative',
    outline: 'none',
    // The keyboard focus is drawn on the active row (aria-activedescendant), only while the list has focus.
    ':focus-visible [data-focused="true"]': {
      outline: `2px solid ${tokens.colorStrokeFocus2}`,
      outlineOffset: '-2px',
    },
  },
  empty: { padding: tokens.spacingHorizontalXL, color: tokens.colorNeutralForeground3 },
})

const rowDomId = (row: number): string => `message-row-${row}`
const HEIGHTS: ItemHeights = { row: ROW_HEIGHT, header: HEADER_HEIGHT }

/**
 * The virtualized message list (role=listbox, multi-select). Only the visible items exist in the DOM and only
 * their window is read from the store, so a folder of 100,000 messages costs the same as one of 100.
 * Keyboard: ↑/↓, Home/End, PageUp/PageDown, Shift to extend, Ctrl+Space to toggle, Ctrl+A for all.
 * Memo: the pane above renders again at each commit of a sync (its folder's row, counts included, is a live
 * query); the source stays the same object until the list's rows or groups change.
 */
export const MessageList = memo(function MessageList({ source }: { source: ListSource }): React.JSX.Element {
  const upgrading = useStoreUpgrading()
  const styles = useStyles()
  const view = useMailView()
  const { selection, setSelection, setActiveMessageId, registerResolver } = view
  const scrollRef = useRef<HTMLDivElement>(null)
  const layout = source.layout
  const count = layout?.itemCount ?? 0
  const rows = layout ? rowCount(layout) : 0

  const itemWindow = useItemWindow(layout, HEIGHTS, 8)
  const { items, scrollToIndex } = itemWindow
  const setScroller = itemWindow.ref
  const scrollerRef = useCallback(
    (element: HTMLDivElement | null) => {
      scrollRef.current = element
      setScroller(element)
    },
    [setScroller],
  )
  // The number of slots rows are keyed by (see the keys below). It only grows, to the most items drawn at
  // once: the count changes by one whenever a row is half scrolled in or out, and a modulus that followed it
  // would hand every slot to another row each time, re-rendering all of them.
  const [slotsSeen, setSlotsSeen] = useState(0)
  if (items.length > slotsSeen) setSlotsSeen(items.length)
  const slots = Math.max(slotsSeen, items.length)

  // Tell the source which rows are on screen; it reads that window (and a page around it) from the store.
  const firstItem = items[0]?.index ?? 0
  const lastItem = items.at(-1)?.index ?? 0
  const { setVisibleRows } = source
  useEffect(() => {
    if (!layout || count === 0) return
    const rowOf = (i: number, step: number): number => {
      for (let j = i; j >= 0 && j < count; j += step) {
        const item = itemAt(layout, j)
        if (item?.kind === 'row') return item.row
      }
      return 0
    }
    setVisibleRows(rowOf(firstItem, 1), rowOf(lastItem, -1))
  }, [layout, count, firstItem, lastItem, setVisibleRows])

  useEffect(() => registerResolver(source.resolveIds), [registerResolver, source.resolveIds])
  useEffect(() => () => registerResolver(null), [registerResolver])

  // The first rows with their data on screen since the page loaded (startup-marks.ts).
  const firstShown = items.some((v) => {
    const item = layout && itemAt(layout, v.index)
    return item?.kind === 'row' && source.rowAt(item.row) !== undefined
  })
  useEffect(() => {
    if (firstShown) markStartup('first-rows')
  }, [firstShown])

  // A different list starts at the top.
  useEffect(() => {
    scrollRef.current?.scrollTo({ top: 0 })
  }, [source.key])

  const heldId = useSelectionFollowsMessages(source, selection, setSelection)

  // Rows deleted or filtered away: keep the selection inside the list (Outlook then shows the next message).
  useEffect(() => {
    if (!layout) return
    const clamped = clampSelection(selection, rows)
    if (JSON.stringify(clamped) !== JSON.stringify(selection)) setSelection(clamped)
  }, [layout, rows, selection, setSelection])

  // The reading pane shows the one selected message.
  const single = singleSelected(selection)
  // Several messages deleted, archived or moved: the one left selected (where the first of them was) may be
  // above the rows in view, after a Shift+click range that was scrolled through. Bring it into view.
  const selected = selectedCount(selection)
  const selectedBefore = useRef(selected)
  useEffect(() => {
    if (selectedBefore.current > 1 && selected === 1 && single !== null && layout)
      scrollToIndex(itemOfRow(layout, single))
    selectedBefore.current = selected
  }, [selected, single, layout, scrollToIndex])
  const activeId = single === null ? null : (heldId ?? source.rowAt(single)?.id ?? null)
  useEffect(() => {
    setActiveMessageId(activeId)
  }, [activeId, setActiveMessageId])

  const moveTo = useCallback(
    (row: number, gesture: SelectGesture | 'focus') => {
      if (!layout || rows === 0) return
      const target = Math.max(0, Math.min(rows - 1, row))
      setSelection(gesture === 'focus' ? { ...selection, focus: target } : select(selection, target, gesture))
      scrollToIndex(itemOfRow(layout, target))
    },
    [layout, rows, selection, setSelection, scrollToIndex],
  )

  const onPointer = useCallback(
    (row: number, e: React.MouseEvent) => {
      if (e.type === 'contextmenu') {
        // Right-click on an unselected message acts on that message, as in Outlook.
        if (!isSelected(selection, row)) setSelection(select(selection, row, 'replace'))
        return
      }
      if (e.button !== 0) return
      const plain = !e.shiftKey && !e.ctrlKey && !e.metaKey
      // A press on a selected message may start dragging the whole selection: collapse it to this message
      // only on the click (no click follows a drag).
      if (e.type === 'click') {
        if (plain && isSelected(selection, row) && selectedCount(selection) > 1)
          setSelection(select(selection, row, 'replace'))
        return
      }
      if (plain && isSelected(selection, row)) return
      const gesture: SelectGesture =
        e.shiftKey && (e.ctrlKey || e.metaKey)
          ? 'extend-add'
          : e.shiftKey
            ? 'extend'
            : e.ctrlKey || e.metaKey
              ? 'toggle'
              : 'replace'
      setSelection(select(selection, row, gesture))
    },
    [selection, setSelection],
  )

  const onDragStart = useCallback(
    (row: number, e: React.DragEvent) => {
      if (isSelected(selection, row)) {
        startMessageDrag(e, selectedCount(selection))
      } else {
        setSelection(select(selection, row, 'replace'))
        startMessageDrag(e, 1)
      }
    },
    [selection, setSelection],
  )

  const onKeyDown = (e: React.KeyboardEvent): void => {
    const focus = selection.focus ?? -1
    const page = Math.max(
      1,
      Math.floor((scrollRef.current?.clientHeight ?? ROW_HEIGHT * 10) / ROW_HEIGHT) - 1,
    )
    const mod = e.ctrlKey || e.metaKey
    const gesture: SelectGesture | 'focus' = e.shiftKey ? 'extend' : mod ? 'focus' : 'replace'
    const moves: Record<string, number> = {
      ArrowDown: focus + 1,
      ArrowUp: Math.max(0, focus - 1),
      Home: 0,
      End: rows - 1,
      PageDown: focus + page,
      PageUp: Math.max(0, focus - page),
    }
    if (e.key in moves) {
      e.preventDefault()
      moveTo(moves[e.key]!, gesture)
    } else if (e.key === ' ' && focus >= 0) {
      e.preventDefault()
      setSelection(select(selection, focus, mod ? 'toggle' : 'replace'))
    } else if (mod && e.key.toLowerCase() === 'a') {
      e.preventDefault()
      setSelection(selectAll(rows, selection.focus))
    }
  }

  if (!layout) {
    return (
      <div className={styles.scroller}>
        <Spinner
          size="small"
          label={
            upgrading
              ? 'Updating your mail store to a new format. This happens once after an update and can take a minute for a large mailbox…'
              : 'Loading messages…'
          }
        />
      </div>
    )
  }
  const body: ListBody = {
    ref: scrollerRef,
    className: styles.scroller,
    role: 'listbox',
    'aria-multiselectable': true,
    'aria-label': source.label || 'Messages',
    'aria-activedescendant': selection.focus !== null && rows > 0 ? rowDomId(selection.focus) : undefined,
    tabIndex: 0,
    onKeyDown,
    onFocus: () => {
      // Keyboard users land on the first message when nothing is focused yet.
      if (selection.focus === null && rows > 0) setSelection({ ...selection, focus: 0 })
    },
    'data-testid': 'message-list',
    'data-row-count': rows,
    children:
      count === 0 ? (
        <Text className={styles.empty} as="p">
          {source.emptyText}
        </Text>
      ) : (
        <div style={{ height: itemWindow.totalSize, position: 'relative' }}>
          {items.map((v) => {
            const item = itemAt(layout, v.index)
            if (!item) return null
            // Keyed by slot, not by index: the visible indexes are consecutive and `slots` is at least
            // their count, so `index % slots` is unique among them, and a row scrolled away hands its
            // component and DOM to the row scrolled in. A jump deep into a long list then updates ~40
            // rows instead of unmounting and mounting them with all their styles and fibers (garbage
            // that grew the heap by the folder's size).
            const slot = v.index % slots
            if (item.kind === 'header')
              return <GroupHeaderView key={`h${slot}`} label={item.label} top={v.start} />
            return (
              <MessageRowView
                key={`r${slot}`}
                id={rowDomId(item.row)}
                row={source.rowAt(item.row)}
                threadSize={source.threadSizeAt?.(item.row) ?? 1}
                index={item.row}
                top={v.start}
                setSize={rows}
                selected={isSelected(selection, item.row)}
                focused={selection.focus === item.row}
                onPointer={onPointer}
                onDragStart={onDragStart}
              />
            )
          })}
        </div>
      ),
  }
  // The listbox reaches its element through context, past the context menu (ListMenu) that wraps it: each
  // refresh of the list (every 250 ms while a sync writes into it) re-renders the listbox only, not the
  // Menu and MenuTrigger around it.
  return (
    <ListBodyContext value={body}>
      <ListMenu />
    </ListBodyContext>
  )
})

/** The listbox element's props and content, as MessageList renders them. */
type ListBody = React.HTMLAttributes<HTMLDivElement> & {
  ref: React.Ref<HTMLDivElement>
  'data-testid': string
  'data-row-count': number
}

const ListBodyContext = createContext<ListBody | null>(null)

/** The context menu around the listbox: no props, so the list's refreshes pass it by (memo). */
const ListMenu = memo(function ListMenu(): React.JSX.Element {
  return (
    <Menu openOnContext positioning={{ autoSize: true }}>
      <MenuTrigger disableButtonEnhancement>
        <ListBox />
      </MenuTrigger>
      <MessageContextMenu />
    </Menu>
  )
})

/**
 * The listbox element: what MenuTrigger gives its child (its ref, id and mouse handlers, which open the menu
 * on a right-click) merged with what MessageList renders (ListBodyContext).
 */
function ListBox({
  ref,
  ...trigger
}: React.HTMLAttributes<HTMLDivElement> & { ref?: React.Ref<HTMLDivElement> }): React.JSX.Element {
  const { ref: bodyRef, ...body } = use(ListBodyContext)!
  const merged = useMergedRefs(ref, bodyRef)
  return <div {...trigger} {...body} ref={merged} />
}
