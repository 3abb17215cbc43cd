import { describe, expect, it } from 'vitest'
import { testMessageRow } from '../../store/test-message-row'
import { forgetUndo, movedBack, rememberUndo, takeUndo } from './undo-move'

describe('undoing a move', () => {
  const at = (id: number, folderId: string) => ({ ...testMessageRow(id, { folderId }), id })

  it('moves back only the messages that moved and kept their ids, to the folder each came from', () => {
    const before = [at(1, 'a:INBOX'), at(2, 'a:INBOX'), at(3, 'b:INBOX'), at(4, 'a:Trash'), at(5, 'a:INBOX')]
    // 1, 2 and 3 went to their Trash; 4 was deleted for good; 5 did not move (the command left it).
    const after = [at(1, 'a:Trash'), at(2, 'a:Trash'), at(3, 'b:Trash'), undefined, at(5, 'a:INBOX')]
    expect([...movedBack(before, after)]).toEqual([
      ['a:INBOX', [1, 2]],
      ['b:INBOX', [3]],
    ])
    expect(movedBack([at(1, 'a:INBOX')], [undefined]).size).toBe(0)
  })

  it('keeps one undo at a time, taken once', () => {
    const done: string[] = []
    rememberUndo(() => done.push('first'))
    rememberUndo(() => done.push('second'))
    takeUndo()?.()
    expect(takeUndo()).toBeNull()
    expect(done).toEqual(['second'])
    const third = (): void => void done.push('third')
    rememberUndo(third)
    forgetUndo(() => undefined)
    forgetUndo(third)
    expect(takeUndo()).toBeNull()
  })
})
