import { useEffect, useState } from 'react'
import type { MailDb } from '../store/mail-db'
import { readStore } from '../store/queries/read-store'

/** The read-only cache connection, once open; undefined for the first render(s). */
export function useMailDb(): MailDb | undefined {
  const [db, setDb] = useState<MailDb>()
  useEffect(() => {
    let live = true
    readStore()
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
