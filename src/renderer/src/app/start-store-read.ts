import { readStore } from '../store/queries/read-store'
import { markStartup } from './startup-marks'
import { readStartupSnapshot, type StartupSnapshot } from './startup-snapshot'

/**
 * Opens the store and reads the startup snapshot as soon as this module is evaluated. main.tsx imports it
 * first, so that happens before the rest of the bundle (React, Fluent UI, the features) is evaluated: the
 * browser opens the database while the page's thread is still busy with the bundle, not after it.
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
