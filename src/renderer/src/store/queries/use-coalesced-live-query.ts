import { liveQuery, type Observable } from 'dexie'
import { useObservable, type InteropableObservable } from 'dexie-react-hooks'

/**
 * How often, at most, a list query hands the UI a new result. A bulk sync commits a batch every few tens of
 * milliseconds; re-rendering the list for each one costs CPU that core and the sync worker need (2-core
 * machines), while a user sees no difference between 4 and 40 refreshes a second.
 */
export const LIST_REFRESH_MS = 250

/**
 * Passes on a result at once when the previous one is at least `ms` old; results arriving sooner are
 * coalesced, and the last of them is passed on when the interval ends. A single change (the user marks a
 * message read) is therefore shown immediately; only bursts, i.e. a sync writing batch after batch, wait.
 */
export function coalesce<T>(source: Observable<T>, ms: number): InteropableObservable<T> {
  return {
    subscribe(onNext, onError) {
      let lastAt = Number.NEGATIVE_INFINITY
      let timer: ReturnType<typeof setTimeout> | undefined
      let latest: { value: T } | undefined
      const flush = (): void => {
        timer = undefined
        if (!latest) return
        const { value } = latest
        latest = undefined
        lastAt = performance.now()
        onNext(value)
      }
      const subscription = source.subscribe({
        next: (value) => {
          latest = { value }
          if (timer !== undefined) return
          const wait = lastAt + ms - performance.now()
          if (wait <= 0) flush()
          else timer = setTimeout(flush, wait)
        },
        error: (error: unknown) => onError?.(error),
      })
      return {
        unsubscribe: () => {
          clearTimeout(timer)
          subscription.unsubscribe()
        },
      }
    },
  }
}

/**
 * `useLiveQuery` whose re-renders are coalesced to at most one per `ms` (default LIST_REFRESH_MS) during
 * bursts of changes. The query itself still re-runs per change; only the results reaching React are thinned.
 */
export function useCoalescedLiveQuery<T>(
  querier: () => Promise<T> | T,
  deps: unknown[],
  ms: number = LIST_REFRESH_MS,
): T | undefined {
  return useObservable(() => coalesce(liveQuery(querier), ms), [...deps, ms])
}
