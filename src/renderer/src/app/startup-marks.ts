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

export function markStartup(name: StartupMark, detail?: unknown): void {
  if (done.has(name)) return
  done.add(name)
  performance.mark(`harbor:${name}`, { detail })
}
