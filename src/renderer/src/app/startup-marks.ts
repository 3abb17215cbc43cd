/**
 * Performance marks of the page's start, each set once per page load: how long after navigation the bundle
 * has run, the store is open, the startup snapshot is read, the first render starts (its detail says
 * whether it had the snapshot), the store's copy of the accounts is read (if it has any), core has listed
 * the accounts, and the first list rows are drawn. Benches and tests read them
 * (performance.getEntriesByType('mark')) to split the time to the first screen.
 */
export type StartupMark =
  'script' | 'store-open' | 'snapshot' | 'first-render' | 'cached-accounts' | 'accounts' | 'first-rows'

const done = new Set<StartupMark>()
const waiting = new Map<StartupMark, (() => void)[]>()

export function markStartup(name: StartupMark, detail?: unknown): void {
  if (done.has(name)) return
  done.add(name)
  performance.mark(`harbor:${name}`, { detail })
  for (const resolve of waiting.get(name) ?? []) resolve()
  waiting.delete(name)
}

/** Resolves once `name` has been marked (at once if it was). */
export function startupMarked(name: StartupMark): Promise<void> {
  if (done.has(name)) return Promise.resolve()
  return new Promise((resolve) => waiting.set(name, [...(waiting.get(name) ?? []), resolve]))
}

/**
 * Calls `start` once the page's first screen is on screen: after the frame that draws the list's first rows
 * (`rowsExpected`: the startup snapshot holds some), or after the first frame when there are none to wait
 * for; at the latest `capMs` from now (the rows may come later from the live queries, or never).
 */
export function afterFirstScreen(start: () => void, rowsExpected: boolean, capMs: number): void {
  let started = false
  const once = (): void => {
    if (started) return
    started = true
    start()
  }
  const cap = setTimeout(once, capMs)
  void (rowsExpected ? startupMarked('first-rows') : Promise.resolve()).then(() =>
    // The mark is set as React commits the rows, before the frame that draws them: start as the frame
    // after that one begins, once the rows are on screen.
    requestAnimationFrame(() =>
      requestAnimationFrame(() => {
        clearTimeout(cap)
        once()
      }),
    ),
  )
}
