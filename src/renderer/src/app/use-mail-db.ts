import { useEffect, useState } from 'react'
import type { MailDb } from '../store/mail-db'
import { readStore, readStoreIfOpen } from '../store/queries/read-store'

/** The read-only cache connection, once open; undefined for the first render(s). */
export function useMailDb(): MailDb | undefined {
  // Open before the first render as a rule (main.tsx waits for it): then no render pass goes without it.
  const [db, setDb] = useState<MailDb | undefined>(readStoreIfOpen)
  useEffect(() => {
    let live = true
    readStore()
      // The same connection when it was open already: setting it again changes nothing.
      .then((opened) => live && setDb(opened))
      .catch(() => {
        // The store is the sync worker's to create; if it cannot be opened the panes stay empty and the
        // worker reports the problem through the status bar.
      })
    return () => {
      live = false
    }
  }, [])
  return db
}
