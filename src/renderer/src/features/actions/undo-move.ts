import type { MessageRow } from '../../store/rows'

/**
 * The messages a move, delete or archive took elsewhere, by the folder each came from: the store keeps a
 * message's id when it moves within its account, so moving these ids back undoes it. Messages that are gone
 * (deleted for good from Trash) or now have other ids (copied to another account) are left out: those
 * cannot be brought back that way.
 */
export function movedBack(
  before: readonly (MessageRow | undefined)[],
  after: readonly (MessageRow | undefined)[],
): Map<string, number[]> {
  const back = new Map<string, number[]>()
  before.forEach((was, i) => {
    const now = after[i]
    if (!was || !now || now.id !== was.id || now.folderId === was.folderId) return
    back.set(was.folderId, [...(back.get(was.folderId) ?? []), was.id!])
  })
  return back
}

/** The last move that can be undone (Ctrl+Z): one window, one list of actions, so one slot. */
let last: { undo: () => void } | null = null

export function rememberUndo(undo: () => void): void {
  last = { undo }
}

/** Ctrl+Z: the last one, which is then forgotten. */
export function takeUndo(): (() => void) | null {
  const undo = last?.undo ?? null
  last = null
  return undo
}

/** Undone from its toast: Ctrl+Z must not do it again. */
export function forgetUndo(undo: () => void): void {
  if (last?.undo === undo) last = null
}
