/**
 * Multi-selection by row position, as Outlook and file managers do it: click selects one, Ctrl+click toggles,
 * Shift+click selects from the anchor. Positions, not ids: the list is virtualized, so a Shift range may cover
 * rows that were never loaded; the ids are looked up when an action needs them.
 */
export interface Selection {
  /** Sorted, non-overlapping, inclusive [first, last] ranges of row positions. */
  ranges: [number, number][]
  anchor: number | null
  /** The row with the keyboard focus (aria-activedescendant). */
  focus: number | null
}

export const EMPTY_SELECTION: Selection = { ranges: [], anchor: null, focus: null }

export type SelectGesture = 'replace' | 'toggle' | 'extend' | 'extend-add'

function normalize(ranges: [number, number][]): [number, number][] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0])
  const out: [number, number][] = []
  for (const [a, b] of sorted) {
    const last = out[out.length - 1]
    if (last && a <= last[1] + 1) last[1] = Math.max(last[1], b)
    else out.push([a, b])
  }
  return out
}

function without(ranges: [number, number][], row: number): [number, number][] {
  return ranges.flatMap(([a, b]): [number, number][] => {
    if (row < a || row > b) return [[a, b]]
    const parts: [number, number][] = []
    if (a < row) parts.push([a, row - 1])
    if (row < b) parts.push([row + 1, b])
    return parts
  })
}

export function isSelected(selection: Selection, row: number): boolean {
  return selection.ranges.some(([a, b]) => row >= a && row <= b)
}

export function selectedCount(selection: Selection): number {
  return selection.ranges.reduce((n, [a, b]) => n + b - a + 1, 0)
}

/** The one selected row, or null when none or several are selected. */
export function singleSelected(selection: Selection): number | null {
  const [only] = selection.ranges
  return selection.ranges.length === 1 && only && only[0] === only[1] ? only[0] : null
}

export function select(selection: Selection, row: number, gesture: SelectGesture): Selection {
  switch (gesture) {
    case 'replace':
      return { ranges: [[row, row]], anchor: row, focus: row }
    case 'toggle':
      return {
        ranges: isSelected(selection, row)
          ? without(selection.ranges, row)
          : normalize([...selection.ranges, [row, row]]),
        anchor: row,
        focus: row,
      }
    case 'extend':
    case 'extend-add': {
      const anchor = selection.anchor ?? row
      const range: [number, number] = [Math.min(anchor, row), Math.max(anchor, row)]
      const base = gesture === 'extend-add' ? selection.ranges : []
      return { ranges: normalize([...base, range]), anchor, focus: row }
    }
  }
}

/**
 * Keeps the selection inside a list that shrank (rows deleted or filtered). A selection wholly past the new
 * end becomes the last row: the last messages deleted, the one before them is shown, as in Outlook.
 */
export function clampSelection(selection: Selection, rowCount: number): Selection {
  if (rowCount === 0) return EMPTY_SELECTION
  const max = rowCount - 1
  const ranges = selection.ranges
    .filter(([a]) => a <= max)
    .map(([a, b]): [number, number] => [a, Math.min(b, max)])
  if (ranges.length === 0 && selection.ranges.length > 0)
    return { ranges: [[max, max]], anchor: max, focus: max }
  const clamp = (n: number | null): number | null => (n === null ? null : Math.min(n, max))
  return { ranges, anchor: clamp(selection.anchor), focus: clamp(selection.focus) }
}

/**
 * After the selected messages leave the list (delete, archive, move): the one row at the first selected
 * position, where the next message moves in, as Outlook then shows the next message. Every position kept
 * selected would select as many other messages, for the next Delete to take unseen.
 */
export function collapseToFirst(selection: Selection): Selection {
  const first = selection.ranges[0]?.[0]
  return first === undefined ? EMPTY_SELECTION : { ranges: [[first, first]], anchor: first, focus: first }
}

/**
 * The same selection `delta` rows further down (up when negative): its messages moved in the list because
 * mail arrived or left above them.
 */
export function shiftSelection(selection: Selection, delta: number): Selection {
  const at = (n: number | null): number | null => (n === null ? null : Math.max(0, n + delta))
  return {
    ranges: normalize(
      selection.ranges.map(([a, b]): [number, number] => [Math.max(0, a + delta), Math.max(0, b + delta)]),
    ),
    anchor: at(selection.anchor),
    focus: at(selection.focus),
  }
}

/** The row whose message the selection is kept on as the list changes: the first selected, else the focus. */
export function pinnedRow(selection: Selection): number | null {
  return selection.ranges[0]?.[0] ?? selection.focus
}

export function selectAll(rowCount: number, focus: number | null): Selection {
  return rowCount === 0 ? EMPTY_SELECTION : { ranges: [[0, rowCount - 1]], anchor: 0, focus }
}
