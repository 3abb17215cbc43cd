/** One date group as it lies in the list: its header, then `count` rows. */
export interface GroupSpan {
  label: string
  /** Index of the group's first message among all messages of the list. */
  firstRow: number
  count: number
  /** Index of the header among the virtual items (headers + rows). */
  headerItem: number
}

export type ListItem = { kind: 'header'; label: string; count: number } | { kind: 'row'; row: number }

export interface ListLayout {
  groups: GroupSpan[]
  /** Headers + rows. */
  itemCount: number
}

/** Lays the groups (in display order, with their counts) out as header + rows, skipping empty groups. */
export function layoutGroups(groups: readonly { label: string; count: number }[]): ListLayout {
  const spans: GroupSpan[] = []
  let row = 0
  let item = 0
  for (const g of groups) {
    if (g.count <= 0) continue
    spans.push({ label: g.label, firstRow: row, count: g.count, headerItem: item })
    row += g.count
    item += g.count + 1
  }
  return { groups: spans, itemCount: item }
}

/** What sits at a virtual index: a group header or a message row. */
export function itemAt(layout: ListLayout, index: number): ListItem | null {
  for (const g of layout.groups) {
    if (index === g.headerItem) return { kind: 'header', label: g.label, count: g.count }
    if (index > g.headerItem && index <= g.headerItem + g.count) {
      return { kind: 'row', row: g.firstRow + (index - g.headerItem - 1) }
    }
  }
  return null
}

/** True when a group header sits at a virtual index (asked for every item of the list: allocates nothing). */
export function isHeaderItem(layout: ListLayout, index: number): boolean {
  for (const g of layout.groups) if (g.headerItem === index) return true
  return false
}

/** The virtual index of a message row (for scrolling the keyboard focus into view). */
export function itemOfRow(layout: ListLayout, row: number): number {
  for (const g of layout.groups) {
    if (row >= g.firstRow && row < g.firstRow + g.count) return g.headerItem + 1 + (row - g.firstRow)
  }
  return -1
}

export function rowCount(layout: ListLayout): number {
  return layout.groups.reduce((n, g) => n + g.count, 0)
}

/** Heights (px) of the list's two kinds of items: every row is as high as every other, and so are headers. */
export interface ItemHeights {
  row: number
  header: number
}

const groupHeight = (g: GroupSpan, h: ItemHeights): number => h.header + g.count * h.row

/** The list's full height: arithmetic over the groups, however many rows they hold. */
export function totalHeight(layout: ListLayout, h: ItemHeights): number {
  return layout.groups.reduce((sum, g) => sum + groupHeight(g, h), 0)
}

/** Where item `index` starts (px from the top of the list). */
export function itemTop(layout: ListLayout, index: number, h: ItemHeights): number {
  let top = 0
  for (const g of layout.groups) {
    if (index <= g.headerItem + g.count) {
      return index <= g.headerItem ? top : top + h.header + (index - g.headerItem - 1) * h.row
    }
    top += groupHeight(g, h)
  }
  return top
}

/** The item at `y` px from the top (the last item below the end, the first above the top). */
export function itemAtOffset(layout: ListLayout, y: number, h: ItemHeights): number {
  let top = 0
  for (const g of layout.groups) {
    const height = groupHeight(g, h)
    if (y < top + height) {
      if (y < top + h.header) return g.headerItem
      return g.headerItem + 1 + Math.floor((y - top - h.header) / h.row)
    }
    top += height
  }
  return Math.max(0, layout.itemCount - 1)
}
