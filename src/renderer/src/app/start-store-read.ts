import { readStore } from '../store/queries/read-store'
import { storeUpgradePending } from '../store/store-upgrade-pending'
import { markStartup } from './startup-marks'
import { readStartupSnapshot, type StartupSnapshot } from './startup-snapshot'

/**
 * Whether opening the store runs a schema upgrade first (asked before the open starts): the list then says
 * why it waits instead of only "Loading messages…".
 */
export const storeUpgrading: Promise<boolean> = storeUpgradePending().catch(() => false)

/**
 * Opens the store and reads the startup snapshot as soon as this module is evaluated. The page's entry
 * (boot.ts) is this module's small chunk, evaluated before the app's chunk (React, Fluent UI, the features)
 * has even loaded: the browser opens the database and reads the first screen while that chunk loads and
 * evaluates, not after it.
 * Undefined when the store could not be opened or read (the panes then wait for their live queries).
 */
export const storeRead: Promise<StartupSnapshot | undefined> = readStore().then(
  (db) => {
    markStartup('store-open')
    return readStartupSnapshot(db).then((snapshot) => {
      markStartup('snapshot')
      return snapshot
    })
  },
  () => undefined,
)
