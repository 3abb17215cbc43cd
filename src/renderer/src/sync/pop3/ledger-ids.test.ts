import 'fake-indexeddb/auto'
import { afterEach, describe, expect, it } from 'vitest'
import { openMailStore, type MailStore } from '../../store/mail-db'
import type { Pop3LedgerRow } from '../../store/rows'
import { addLedgerRows, deleteAccountLedger } from '../../store/pop3-ledger'
import { storeIdentity } from '../../store/store-identity'
import { holdReads } from '../../store/hold-reads'
import { forgetLedgerIds, ledgerIds } from './ledger-ids'

let counter = 0
const stores: MailStore[] = []
afterEach(() => {
  for (const s of stores.splice(0)) s.close()
})

async function store(): Promise<{ s: MailStore; id: string }> {
  const s = await openMailStore(`ledger-ids-test-${++counter}`)
  stores.push(s)
  return { s, id: await storeIdentity(s.durable) }
}

let messageIds = 0
const row = (accountId: string, uidl: string): Pop3LedgerRow => ({
  accountId,
  uidl,
  messageId: ++messageIds,
  storedAt: 0,
  deletedFromServerAt: null,
  fullStored: true,
  deletedLocallyAt: null,
  sha256: null,
})

const add = (s: MailStore, accountId: string, ...uidls: string[]): Promise<unknown> =>
  addLedgerRows(
    s.durable,
    accountId,
    uidls.map((u) => row(accountId, u)),
  )

describe("the ledger's ids kept between checks", () => {
  it("reads the account's ids once, then keeps the set (with what the caller committed) while the count agrees", async () => {
    const { s, id } = await store()
    await add(s, 'p', 'a', 'b')
    await add(s, 'other', 'x')
    const first = await ledgerIds(s.fast, id, 'p')
    expect([...first].sort()).toEqual(['a', 'b'])
    // A check commits "c", then adds it to the set (as sync-pop3-account's commit does).
    await add(s, 'p', 'c')
    first.add('c')
    const second = await ledgerIds(s.fast, id, 'p')
    expect(second).toBe(first)
    expect([...second].sort()).toEqual(['a', 'b', 'c'])
  })

  it('reads again when rows arrived that the set does not know (another window wrote while it was the writer)', async () => {
    const { s, id } = await store()
    await add(s, 'p', 'a')
    expect([...(await ledgerIds(s.fast, id, 'p'))]).toEqual(['a'])
    await add(s, 'p', 'b')
    const second = await ledgerIds(s.fast, id, 'p')
    expect([...second].sort()).toEqual(['a', 'b'])
  })

  it('does not reuse a set for another store, even with as many rows for the account', async () => {
    const one = await store()
    const two = await store()
    await add(one.s, 'p', 'a', 'b')
    await add(two.s, 'p', 'c', 'd')
    expect([...(await ledgerIds(one.s.fast, one.id, 'p'))].sort()).toEqual(['a', 'b'])
    expect([...(await ledgerIds(two.s.fast, two.id, 'p'))].sort()).toEqual(['c', 'd'])
    // The first store's identity asked of the second store's database (replaced under the same name): its
    // rows are answered but not kept for the first store.
    expect([...(await ledgerIds(two.s.fast, one.id, 'p'))].sort()).toEqual(['c', 'd'])
    expect([...(await ledgerIds(one.s.fast, one.id, 'p'))].sort()).toEqual(['a', 'b'])
  })

  it('reads again after the account was forgotten and its rows deleted', async () => {
    const { s, id } = await store()
    await add(s, 'p', 'a')
    const first = await ledgerIds(s.fast, id, 'p')
    await deleteAccountLedger(s.durable, 'p')
    forgetLedgerIds('p')
    await add(s, 'p', 'z')
    const again = await ledgerIds(s.fast, id, 'p')
    expect(again).not.toBe(first)
    expect([...again]).toEqual(['z'])
  })

  it("does not wait for a syncState write queued behind the page's reads (ledger writes would wait behind it)", async () => {
    const { s, id } = await store()
    await add(s, 'p', 'a')
    await ledgerIds(s.fast, id, 'p')
    const reader = holdReads(s.fast, ['syncState'])
    const put = s.fast.syncState.put({ key: 'progress', value: 1 })
    await new Promise((r) => setTimeout(r, 50))
    const answer = await Promise.race([
      ledgerIds(s.fast, id, 'p'),
      new Promise((r) => setTimeout(() => r('still waiting'), 3000)),
    ])
    await reader.release()
    await put
    expect(answer).toEqual(new Set(['a']))
  })
})
