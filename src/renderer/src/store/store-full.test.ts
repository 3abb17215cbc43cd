import Dexie from 'dexie'
import { describe, expect, it } from 'vitest'
import { isStoreFull, storeFullError } from './store-full'

const quota = (): DOMException => new DOMException('The quota has been exceeded.', 'QuotaExceededError')

describe('isStoreFull', () => {
  it('recognises IndexedDB quota errors as Dexie passes them on: plain, as an abort cause, in a bulk failure', () => {
    expect(isStoreFull(quota())).toBe(true)
    expect(isStoreFull(new Dexie.AbortError('Transaction aborted', quota()))).toBe(true)
    expect(isStoreFull(new Dexie.BulkError('1 of 2 failed', [new Error('x'), quota()]))).toBe(true)
  })

  it('does not take other store errors for a full disk', () => {
    expect(isStoreFull(new Dexie.ConstraintError('Key already exists'))).toBe(false)
    expect(isStoreFull(new Dexie.AbortError('Transaction aborted', new Error('boom')))).toBe(false)
    expect(isStoreFull(null)).toBe(false)
    expect(isStoreFull('QuotaExceededError')).toBe(false)
  })

  it('tells the user what happened, that nothing was lost and what to do', () => {
    const e = storeFullError(quota())
    expect(e.code).toBe('DISK_FULL')
    expect(e.message).toMatch(/no room left.*Nothing was lost.*Free some disk space/)
  })
})
