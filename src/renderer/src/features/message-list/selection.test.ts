import { describe, expect, it } from 'vitest'
import {
  clampSelection,
  collapseToFirst,
  EMPTY_SELECTION,
  isSelected,
  pinnedRow,
  select,
  selectedCount,
  shiftSelection,
  singleSelected,
} from './selection'

describe('selection', () => {
  it('click replaces, Ctrl+click toggles, Shift+click extends from the anchor', () => {
    let s = select(EMPTY_SELECTION, 5, 'replace')
    expect(singleSelected(s)).toBe(5)
    s = select(s, 8, 'toggle')
    expect(s.ranges).toEqual([
      [5, 5],
      [8, 8],
    ])
    s = select(s, 5, 'toggle')
    expect(s.ranges).toEqual([[8, 8]])
    // Ctrl+click moves the anchor, as in Explorer and Outlook.
    expect(s.anchor).toBe(5)
    s = select(s, 8, 'replace')
    s = select(s, 3, 'extend')
    expect(s.ranges).toEqual([[3, 8]])
    expect(s.anchor).toBe(8)
    s = select(s, 5, 'toggle')
    expect(s.ranges).toEqual([
      [3, 4],
      [6, 8],
    ])
    expect(selectedCount(s)).toBe(5)
    s = select(s, 20, 'extend-add')
    expect(s.ranges).toEqual([[3, 20]])
  })

  it('merges adjacent ranges and clamps to a shrunken list', () => {
    let s = select(select(EMPTY_SELECTION, 1, 'replace'), 2, 'toggle')
    expect(s.ranges).toEqual([[1, 2]])
    s = select(s, 50, 'extend-add')
    expect(isSelected(s, 30)).toBe(true)
    expect(clampSelection(s, 10).ranges).toEqual([[1, 9]])
    expect(clampSelection(s, 0)).toEqual(EMPTY_SELECTION)
    // Everything selected lies past the new end: the last row is selected instead of nothing.
    expect(clampSelection({ ranges: [[7, 9]], anchor: 7, focus: 9 }, 5)).toEqual({
      ranges: [[4, 4]],
      anchor: 4,
      focus: 4,
    })
    expect(clampSelection(EMPTY_SELECTION, 5)).toEqual({ ranges: [], anchor: null, focus: null })
  })

  it('after the selected messages leave the list, only the first position stays selected', () => {
    let s = select(EMPTY_SELECTION, 3, 'replace')
    s = select(s, 7, 'extend')
    s = select(s, 12, 'toggle')
    expect(collapseToFirst(s)).toEqual({ ranges: [[3, 3]], anchor: 3, focus: 3 })
    expect(singleSelected(collapseToFirst(s))).toBe(3)
    expect(collapseToFirst(EMPTY_SELECTION)).toEqual(EMPTY_SELECTION)
  })

  it('moves a selection with its messages, never above the first row, and pins its first selected row', () => {
    const s = {
      ranges: [
        [3, 4],
        [8, 8],
      ] as [number, number][],
      anchor: 8,
      focus: 1,
    }
    expect(pinnedRow(s)).toBe(3)
    expect(shiftSelection(s, 200)).toEqual({
      ranges: [
        [203, 204],
        [208, 208],
      ],
      anchor: 208,
      focus: 201,
    })
    expect(shiftSelection(s, -2)).toEqual({
      ranges: [
        [1, 2],
        [6, 6],
      ],
      anchor: 6,
      focus: 0,
    })
    expect(pinnedRow({ ranges: [], anchor: null, focus: 7 })).toBe(7)
    expect(pinnedRow(EMPTY_SELECTION)).toBeNull()
  })
})
