import type { Dexie } from 'dexie'

/**
 * For tests: keeps a read-only transaction over `stores` running (as the page's live queries do while the
 * sync worker writes) until `release()`. IndexedDB starts a read-write transaction only after every earlier
 * transaction over an overlapping scope has finished, so whatever waits for one is held up meanwhile.
 */
export function holdReads(db: Dexie, stores: string[]): { release(): Promise<void> } {
  const tx = db.backendDB().transaction(stores, 'readonly')
  const os = tx.objectStore(stores[0]!)
  let released = false
  // A transaction stays active while it has requests: one more read each time the last one finishes.
  const again = (): void => {
    if (!released) os.count().onsuccess = again
  }
  again()
  const done = new Promise<void>((resolve) => {
    tx.oncomplete = () => resolve()
    tx.onabort = () => resolve()
  })
  return {
    release: () => {
      released = true
      return done
    },
  }
}
