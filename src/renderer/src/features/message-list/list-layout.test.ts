import { describe, expect, it } from 'vitest'
import {
  isHeaderItem,
  itemAt,
  itemAtOffset,
  itemOfRow,
  itemTop,
  layoutGroups,
  rowCount,
  totalHeight,
} from './list-layout'

describe('list layout', () => {
  const layout = layoutGroups([
    { label: 'Today', count: 2 },
    { label: 'Yesterday', count: 0 },
    { label: 'Older', count: 100_000 },
  ])

  it('puts a header before each non-empty group', () => {
    expect(layout.itemCount).toBe(2 + 1 + 100_000 + 1)
    expect(rowCount(layout)).toBe(100_002)
    expect(itemAt(layout, 0)).toEqual({ kind: 'header', label: 'Today', count: 2 })
    expect(itemAt(layout, 2)).toEqual({ kind: 'row', row: 1 })
    expect(itemAt(layout, 3)).toEqual({ kind: 'header', label: 'Older', count: 100_000 })
    expect(itemAt(layout, 4)).toEqual({ kind: 'row', row: 2 })
    expect(itemAt(layout, layout.itemCount - 1)).toEqual({ kind: 'row', row: 100_001 })
    expect(itemAt(layout, layout.itemCount)).toBeNull()
  })

  it('tells headers apart exactly where itemAt finds them', () => {
    for (const i of [0, 1, 2, 3, 4, 50_000, layout.itemCount - 1])
      expect(isHeaderItem(layout, i)).toBe(itemAt(layout, i)?.kind === 'header')
  })

  it('maps rows back to items', () => {
    for (const row of [0, 1, 2, 5000, 100_001])
      expect(itemAt(layout, itemOfRow(layout, row))).toEqual({ kind: 'row', row })
    expect(itemOfRow(layout, 100_002)).toBe(-1)
  })

  it('positions items arithmetically: the same tops as summing every item before them', () => {
    const h = { row: 72, header: 32 }
    const small = layoutGroups([
      { label: 'Today', count: 3 },
      { label: 'Yesterday', count: 0 },
      { label: 'Last week', count: 2 },
      { label: 'Older', count: 4 },
    ])
    let top = 0
    for (let i = 0; i < small.itemCount; i++) {
      expect(itemTop(small, i, h)).toBe(top)
      // Every pixel of the item maps back to it.
      const height = isHeaderItem(small, i) ? h.header : h.row
      for (const y of [top, top + height / 2, top + height - 1]) expect(itemAtOffset(small, y, h)).toBe(i)
      top += height
    }
    expect(totalHeight(small, h)).toBe(top)
    expect(itemAtOffset(small, top + 500, h)).toBe(small.itemCount - 1)
    // At 100,000 rows: the last item ends at the list's height.
    const last = layout.itemCount - 1
    expect(itemTop(layout, last, h) + h.row).toBe(totalHeight(layout, h))
    expect(itemAtOffset(layout, totalHeight(layout, h) - 1, h)).toBe(last)
    expect(itemAtOffset(layoutGroups([]), 0, h)).toBe(0)
  })
})
