import { Dexie, type ObservabilitySet } from 'dexie'
import { useObservable } from 'dexie-react-hooks'

/**
 * How often, at most, a list query runs while the store changes. A bulk sync commits a batch every few tens
 * of milliseconds; re-running the list's counts for each one costs CPU that core and the sync worker need
 * (2-core machines), while a user sees no difference between 4 and 40 refreshes a second.
 */
export const LIST_REFRESH_MS = 250

export interface ThrottledQuery<T> {
  /**
   * Always false: a run answers asynchronously. dexie-react-hooks' useObservable asks this during render;
   * without it, it subscribes and unsubscribes at once there to look for a synchronous value, and that
   * subscription starts a run whose answer is dropped (every list query ran twice when first mounted).
   */
  hasValue(): boolean
  subscribe(onNext: (value: T) => void, onError?: (error: unknown) => void): { unsubscribe(): void }
}

/**
 * A live query that runs at most once per `ms` while the store keeps changing. Dexie's `liveQuery` re-runs
 * on every commit and restarts a run still in flight, so during a sync the page kept IndexedDB busy with
 * counts over the whole folder, each longer as the folder grew (the cost of the sync grew faster than the
 * folder). Here a run starts only after the previous one finished: at once when that is at least `ms` ago
 * (a single change, e.g. the user marks a message read, shows immediately), else when `ms` have passed.
 * Any change to the store triggers it (not only to what the query read): at most one run per `ms` is cheap
 * enough, and it can never miss a change.
 */
export function throttledLiveQuery<T>(querier: () => Promise<T> | T, ms: number): ThrottledQuery<T> {
  return {
    hasValue: () => false,
    subscribe(onNext, onError) {
      let closed = false
      let running = false
      let changed = false
      let lastEnd = Number.NEGATIVE_INFINITY
      let timer: ReturnType<typeof setTimeout> | undefined
      const run = (): void => {
        timer = undefined
        if (closed) return
        running = true
        changed = false
        Promise.resolve()
          .then(querier)
          .then(
            (value) => {
              if (!closed) onNext(value)
            },
            (error: unknown) => {
              if (!closed) onError?.(error)
            },
          )
          .finally(() => {
            running = false
            lastEnd = performance.now()
            if (changed) schedule()
          })
      }
      const schedule = (): void => {
        if (closed || timer !== undefined) return
        if (running) {
          changed = true
          return
        }
        timer = setTimeout(run, Math.max(0, lastEnd + ms - performance.now()))
      }
      const onMutated = (_parts: ObservabilitySet): void => schedule()
      Dexie.on('storagemutated', onMutated)
      run()
      return {
        unsubscribe: () => {
          closed = true
          clearTimeout(timer)
          Dexie.on.storagemutated.unsubscribe(onMutated)
        },
      }
    },
  }
}

/**
 * `useLiveQuery` that runs at most once per `ms` (default LIST_REFRESH_MS) while the store changes.
 * `initial`: the answer until the first run answers (the startup snapshot's copy of it).
 */
export function useCoalescedLiveQuery<T>(
  querier: () => Promise<T> | T,
  deps: unknown[],
  ms: number = LIST_REFRESH_MS,
  initial?: T,
): T | undefined {
  return useObservable(() => throttledLiveQuery(querier, ms), [...deps, ms], initial)
}
