/** The Web Locks name that makes one sync worker per profile the single writer of the store. */
export const WRITER_LOCK = 'harbor-mail:store-writer'

export interface LockManagerLike {
  request(name: string, options: { mode: 'exclusive' }, callback: () => Promise<void>): Promise<void>
}

/**
 * Several windows or tabs may run a sync worker; exactly one may write the store and sync. The lock is held
 * for as long as this worker lives (the browser frees it when the worker dies, even by a crash), and the
 * next waiting worker is promoted then: `onWriter` fires at most once per worker.
 */
export function claimWriterRole(locks: LockManagerLike, onWriter: () => void): void {
  void locks.request(WRITER_LOCK, { mode: 'exclusive' }, () => {
    onWriter()
    return new Promise<void>(() => {
      // Never resolves: the role ends with the worker.
    })
  })
}
