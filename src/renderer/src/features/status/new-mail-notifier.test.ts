import { describe, expect, it } from 'vitest'
import type { MessageRow } from '../../store/rows'
import { newMailNotice } from './new-mail-notifier'

const row = (name: string, address: string, subject: string): MessageRow =>
  ({ from: [{ name, address }], subject }) as MessageRow

describe('new-mail notice text', () => {
  it('names sender and subject for one message, with bidi controls removed', () => {
    expect(newMailNotice([row('Ann\u202e', 'ann@x.org', 'Lunch?')])).toEqual({
      title: 'New mail from Ann',
      body: 'Lunch?',
    })
    expect(newMailNotice([row('', 'bob@x.org', '')])).toEqual({
      title: 'New mail from bob@x.org',
      body: '(no subject)',
    })
  })

  it('counts several and names the first two senders', () => {
    const rows = [
      row('Ann', 'a@x', 's'),
      row('Ann', 'a@x', 's'),
      row('Bob', 'b@x', 's'),
      row('Cy', 'c@x', 's'),
    ]
    expect(newMailNotice(rows)).toEqual({ title: '4 new messages', body: 'From Ann, Bob and others' })
    expect(newMailNotice(rows.slice(0, 3))).toEqual({ title: '3 new messages', body: 'From Ann, Bob' })
  })
})
