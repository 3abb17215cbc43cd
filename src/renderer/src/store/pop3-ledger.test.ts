import 'fake-indexeddb/auto'
import { describe, expect, it } from 'vitest'
import { Dexie } from 'dexie'
import { SCHEMA_VERSIONS } from './mail-db'
import type { Pop3LedgerRow } from './rows'
import {
  accountLedger,
  accountLedgerIds,
  addLedgerRows,
  changeLedgerRows,
  changeLedgerRowsOfMessages,
  countAccountLedger,
  deleteAccountLedger,
  ledgerRowOfMessage,
  ledgerRows,
} from './pop3-ledger'
import { testStores } from './test-stores'

const { freshName, openNewest } = testStores('ledger-test')
const open = (name = freshName()): ReturnType<typeof openNewest> => openNewest(name)

const row = (
  accountId: string,
  uidl: string,
  messageId: number,
  more: Partial<Pop3LedgerRow> = {},
): Pop3LedgerRow => ({
  accountId,
  uidl,
  messageId,
  storedAt: 1000 + messageId,
  deletedFromServerAt: null,
  fullStored: true,
  deletedLocallyAt: null,
  sha256: `sha-${messageId}`,
  ...more,
})
const byUidl = (rows: readonly Pop3LedgerRow[]): Pop3LedgerRow[] =>
  [...rows].sort((a, b) => a.uidl.localeCompare(b.uidl))

describe('the POP3 ledger in batch records', () => {
  it('refuses, as a whole, a batch naming an id the account already has; other accounts are apart', async () => {
    const db = await open()
    await addLedgerRows(db, 'p', [row('p', 'a', 1), row('p', 'b', 2)])
    await expect(addLedgerRows(db, 'p', [row('p', 'c', 3), row('p', 'b', 4)])).rejects.toThrow(
      /ConstraintError|unique/i,
    )
    expect((await accountLedgerIds(db, 'p')).sort()).toEqual(['a', 'b'])
    // The same UIDL at another account (whose id starts like this one's) is another message.
    await addLedgerRows(db, 'p2', [row('p2', 'b', 5)])
    expect(await countAccountLedger(db, 'p')).toBe(2)
    expect(await countAccountLedger(db, 'p2')).toBe(1)
    expect((await ledgerRows(db, 'p', ['b', 'x', 'a'])).map((r) => r?.messageId)).toEqual([2, undefined, 1])
    expect(await ledgerRowOfMessage(db, 5)).toEqual(row('p2', 'b', 5))
  })

  it('changes entries by UIDL and by message, leaving the rest of their batch as it was', async () => {
    const db = await open()
    await addLedgerRows(db, 'p', [row('p', 'a', 1), row('p', 'b', 2), row('p', 'c', 3)])
    await addLedgerRows(db, 'q', [row('q', 'a', 4)])
    expect(await changeLedgerRows(db, 'p', ['a', 'c', 'gone'], { deletedFromServerAt: 77 })).toBe(2)
    expect(await changeLedgerRowsOfMessages(db, [2, 4], { deletedLocallyAt: 88 })).toBe(2)
    expect(byUidl(await accountLedger(db, 'p'))).toEqual([
      row('p', 'a', 1, { deletedFromServerAt: 77 }),
      row('p', 'b', 2, { deletedLocallyAt: 88 }),
      row('p', 'c', 3, { deletedFromServerAt: 77 }),
    ])
    expect(await accountLedger(db, 'q')).toEqual([row('q', 'a', 4, { deletedLocallyAt: 88 })])
    await deleteAccountLedger(db, 'p')
    expect(await accountLedger(db, 'p')).toEqual([])
    expect(await countAccountLedger(db, 'q')).toBe(1)
  })

  for (const version of [5, 10]) {
    it(`upgrades a version-${version} store's ledger rows into batches with every field, and keeps the guard`, async () => {
      const name = freshName()
      const old = new Dexie(name)
      old.version(version).stores(SCHEMA_VERSIONS.find((v) => v.version === version)!.stores)
      // More than one batch's worth for one account, with every field set somewhere.
      const p = Array.from({ length: 600 }, (_, i) =>
        row('p', `UID-${i}`, i + 1, {
          deletedFromServerAt: i % 3 === 0 ? 500 + i : null,
          deletedLocallyAt: i % 7 === 0 ? 900 + i : null,
          fullStored: i % 5 !== 0,
          sha256: i % 11 === 0 ? null : `sha-${i + 1}`,
        }),
      )
      const q = [row('q', 'UID-1', 601), row('q', 'other', 602)]
      await old.table('pop3Ledger').bulkAdd([...p, ...q])
      old.close()

      const db = await open(name)
      expect(db.verno).toBe(SCHEMA_VERSIONS.at(-1)!.version)
      expect(db.tables.map((t) => t.name)).not.toContain('pop3Ledger')
      expect(byUidl(await accountLedger(db, 'p'))).toEqual(byUidl(p))
      expect(byUidl(await accountLedger(db, 'q'))).toEqual(byUidl(q))
      expect(await countAccountLedger(db, 'p')).toBe(600)
      expect(await db.pop3LedgerBatches.count()).toBe(4)
      expect(await ledgerRowOfMessage(db, 42)).toEqual(p[41])
      // A later download can neither add an id the upgrade moved nor collide with the upgrade's records.
      await expect(addLedgerRows(db, 'p', [row('p', 'UID-599', 700)])).rejects.toThrow(
        /ConstraintError|unique/i,
      )
      await addLedgerRows(db, 'p', [row('p', 'UID-600', 1)])
      expect(await countAccountLedger(db, 'p')).toBe(601)
    })
  }
})
