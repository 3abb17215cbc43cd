import { useCallback, useLayoutEffect, useMemo, useRef, useState } from 'react'
import {
  isHeaderItem,
  itemAtOffset,
  itemTop,
  totalHeight,
  type ItemHeights,
  type ListLayout,
} from './list-layout'

export interface WindowItem {
  index: number
  /** Top of the item in px from the top of the list. */
  start: number
}

/**
 * The list's items on screen (plus `overscan` on each side), positioned arithmetically from the layout: rows
 * and headers have fixed heights, so an item's position is a sum over the date groups (a handful), never over
 * the items. (A general virtualizer measured every item whenever the count changed: 100,000 entries at each
 * sync batch of a big folder, and in the first render.) Renders again only when the range on screen changes.
 * `ref` goes on the scrolling element.
 */
export function useItemWindow(
  layout: ListLayout | undefined,
  heights: ItemHeights,
  overscan: number,
): {
  ref: (element: HTMLDivElement | null) => void
  items: WindowItem[]
  totalSize: number
  scrollToIndex(index: number): void
} {
  const [scroller, setScroller] = useState<HTMLDivElement | null>(null)
  const [range, setRange] = useState<{ first: number; last: number } | null>(null)
  // The handlers read the layout of the last commit.
  const current = useRef(layout)
  const { row, header } = heights
  const measure = useCallback(() => {
    const l = current.current
    if (!scroller || !l || l.itemCount === 0 || scroller.clientHeight === 0) {
      setRange((r) => (r === null ? r : null))
      return
    }
    const h = { row, header }
    const top = scroller.scrollTop
    const first = Math.max(0, itemAtOffset(l, top, h) - overscan)
    const last = Math.min(l.itemCount - 1, itemAtOffset(l, top + scroller.clientHeight, h) + overscan)
    setRange((r) => (r && r.first === first && r.last === last ? r : { first, last }))
  }, [scroller, row, header, overscan])
  useLayoutEffect(() => {
    current.current = layout
    measure()
  }, [layout, measure])
  useLayoutEffect(() => {
    if (!scroller) return
    scroller.addEventListener('scroll', measure, { passive: true })
    const resize = new ResizeObserver(measure)
    resize.observe(scroller)
    return () => {
      scroller.removeEventListener('scroll', measure)
      resize.disconnect()
    }
  }, [scroller, measure])

  const items = useMemo(() => {
    if (!range || !layout) return []
    const h = { row, header }
    const out: WindowItem[] = []
    // The range may be the previous layout's for this render (a shorter list): clamp it.
    for (let i = range.first; i <= Math.min(range.last, layout.itemCount - 1); i++)
      out.push({ index: i, start: itemTop(layout, i, h) })
    return out
  }, [range, layout, row, header])

  const scrollToIndex = useCallback(
    (index: number) => {
      const l = current.current
      if (!scroller || !l || index < 0 || index >= l.itemCount) return
      const h = { row, header }
      const top = itemTop(l, index, h)
      const bottom = top + (isHeaderItem(l, index) ? header : row)
      // As little as it takes to bring the item into view (the focus moving with the keyboard).
      if (top < scroller.scrollTop) scroller.scrollTo({ top })
      else if (bottom > scroller.scrollTop + scroller.clientHeight)
        scroller.scrollTo({ top: bottom - scroller.clientHeight })
    },
    [scroller, row, header],
  )
  return {
    ref: setScroller,
    items,
    totalSize: layout ? totalHeight(layout, { row, header }) : 0,
    scrollToIndex,
  }
}
