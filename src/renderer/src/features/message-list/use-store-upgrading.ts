import { useEffect, useState } from 'react'
import { storeRead, storeUpgrading } from '../../app/start-store-read'

/** True while the store is being upgraded to a new schema version (from before its open until it is open). */
export function useStoreUpgrading(): boolean {
  const [upgrading, setUpgrading] = useState(false)
  useEffect(() => {
    let live = true
    let open = false
    // Registered first: when both have settled already, the open's callback runs first and wins.
    void storeRead.finally(() => {
      open = true
      if (live) setUpgrading(false)
    })
    void storeUpgrading.then((pending) => {
      if (live && pending && !open) setUpgrading(true)
    })
    return () => {
      live = false
    }
  }, [])
  return upgrading
}
