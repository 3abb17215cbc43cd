import { describe, expect, it } from 'vitest'
import { accountConfigSchema, type AccountConfig } from '../../../shared/model/account'
import type { AccountRow } from '../store/rows'
import { accountsToShow } from './accounts-shown'

const server = { host: 'mail.example.test', port: 993, tls: 'implicit', username: 'u' } as const
const config = (id: string, name: string): AccountConfig =>
  accountConfigSchema.parse({
    kind: 'imap',
    id,
    name,
    email: `${id}@example.test`,
    incoming: server,
    smtp: null,
  })
const row = (id: string, name: string, position: number): AccountRow => ({
  id,
  kind: 'imap',
  name,
  email: `${id}@example.test`,
  position,
})

describe('accountsToShow', () => {
  it("draws the store's copy, in pane order, before core has answered", () => {
    const shown = accountsToShow(undefined, [row('b', 'Second', 1), row('a', 'First', 0)], false)
    expect(shown?.map((a) => a.name)).toEqual(['First', 'Second'])
  })

  it("switches to core's list once it answered, even where the copy differs", () => {
    const core = [config('a', 'Renamed')]
    expect(accountsToShow(core, [row('a', 'First', 0), row('gone', 'Gone', 1)], false)).toBe(core)
    expect(accountsToShow([], [row('a', 'First', 0)], false)).toEqual([])
  })

  it('does not call an empty copy "no accounts" while core may still answer', () => {
    expect(accountsToShow(undefined, [], false)).toBeUndefined()
    expect(accountsToShow(undefined, undefined, false)).toBeUndefined()
  })

  it('shows no accounts (the welcome page) only when the copy is empty and core is unreachable', () => {
    expect(accountsToShow(undefined, [], true)).toEqual([])
    // The copy not read yet: not known, even offline.
    expect(accountsToShow(undefined, undefined, true)).toBeUndefined()
    expect(accountsToShow(undefined, [row('a', 'First', 0)], true)?.map((a) => a.id)).toEqual(['a'])
  })
})
