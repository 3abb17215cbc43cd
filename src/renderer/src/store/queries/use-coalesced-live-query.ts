import { Dexie, type ObservabilitySet } from 'dexie'
import { useObservable } from 'dexie-react-hooks'

/**
 * How often, at most, a list query runs while the store changes. A bulk sync commits a batch every few tens
 * of milliseconds; re-running the list's counts for each one costs CPU that core and the sync worker need
 * (2-core machines), while a user sees no difference between 4 and 40 refreshes a second.
 */
export const LIST_REFRESH_MS = 250

/**
 * When the store has kept changing for `afterMs` (a bulk sync: a 10,000-message download commits for several
 * seconds) and the user has not pressed a key or button for as long, a throttled query runs at most once per
 * `ms` instead. Each refresh of the list re-reads its window and renders its rows again; on a 2-core machine
 * that CPU comes out of the sync itself, and a list that fills once a second looks no slower. A pause of
 * QUIET_MS ends the bulk write, and any user input brings the short interval back at once (a message marked
 * read during a sync loses its bold within LIST_REFRESH_MS).
 */
export interface BusyPace {
  afterMs: number
  ms: number
}
export const BULK_WRITE_PACE: BusyPace = { afterMs: 2000, ms: 1000 }
/** A pause in the store's changes this long ends a bulk write. */
const QUIET_MS = 1000

/** When the user last pressed a key or a pointer button in this window. */
let lastInput = Number.NEGATIVE_INFINITY

/** Marks user input now (the window's own listeners call it; tests too). */
export function noteUserInput(): void {
  lastInput = performance.now()
}

/** The window, where this runs in one (this module is typed without the DOM: the worker's config builds it too). */
const page = globalThis as {
  document?: unknown
  addEventListener?(type: string, listener: () => void, options: { capture: boolean; passive: boolean }): void
}
if (page.document !== undefined && page.addEventListener) {
  for (const type of ['pointerdown', 'keydown'])
    page.addEventListener(type, noteUserInput, { capture: true, passive: true })
}

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
 * enough, and it can never miss a change. During a bulk write the interval grows to `busy.ms` (BusyPace).
 */
export function throttledLiveQuery<T>(
  querier: () => Promise<T> | T,
  ms: number,
  busy: BusyPace = BULK_WRITE_PACE,
): ThrottledQuery<T> {
  return {
    hasValue: () => false,
    subscribe(onNext, onError) {
      let closed = false
      let running = false
      let changed = false
      let lastEnd = Number.NEGATIVE_INFINITY
      let timer: ReturnType<typeof setTimeout> | undefined
      let timerDue = 0
      // The current run of changes without a pause of QUIET_MS: when it began and its latest change.
      let changingSince = Number.NEGATIVE_INFINITY
      let lastChange = Number.NEGATIVE_INFINITY
      const interval = (now: number): number =>
        now - changingSince >= busy.afterMs && now - lastInput >= busy.afterMs ? Math.max(ms, busy.ms) : ms
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
        if (closed) return
        if (running) {
          changed = true
          return
        }
        const now = performance.now()
        const due = lastEnd + interval(now)
        // A run already waiting keeps its time unless this one is sooner (the user acted meanwhile).
        if (timer !== undefined) {
          if (due >= timerDue) return
          clearTimeout(timer)
        }
        timerDue = due
        timer = setTimeout(run, Math.max(0, due - now))
      }
      const onMutated = (_parts: ObservabilitySet): void => {
        const now = performance.now()
        if (now - lastChange >= QUIET_MS) changingSince = now
        lastChange = now
        schedule()
      }
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
