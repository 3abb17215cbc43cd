/**
 * Dragging messages onto a folder. The drag carries only a marker type and a count: which messages move is
 * the list's selection at the drop (resolved by the mail view, as every other action does), so nothing about
 * a message leaves the page through the system's drag data.
 */
export const MESSAGE_DRAG_TYPE = 'application/x-harbor-messages'

export function startMessageDrag(e: React.DragEvent, count: number): void {
  e.dataTransfer.effectAllowed = 'copyMove' // Ctrl (Option on a Mac) copies
  e.dataTransfer.setData(MESSAGE_DRAG_TYPE, String(count))
  e.dataTransfer.setData('text/plain', count === 1 ? '1 message' : `${count} messages`)
}

export function isMessageDrag(e: React.DragEvent): boolean {
  return e.dataTransfer.types.includes(MESSAGE_DRAG_TYPE)
}
