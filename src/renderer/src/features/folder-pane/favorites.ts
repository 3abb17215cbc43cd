import { useCallback, useSyncExternalStore } from 'react'
import { readSetting, writeSetting } from '../../components/local-settings'

const KEY = 'favorite-folders'
const isList = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string')

/**
 * The folders the user pinned to Favorites, in the order added. A view preference kept in localStorage (per
 * profile) like the other window settings; other windows of the app follow through the storage event.
 */
const listeners = new Set<() => void>()
let current: readonly string[] = readSetting(KEY, [], isList)

function subscribe(listener: () => void): () => void {
  listeners.add(listener)
  const onStorage = (e: StorageEvent): void => {
    if (e.key !== null && !e.key.endsWith(KEY)) return
    current = readSetting(KEY, [], isList)
    listener()
  }
  window.addEventListener('storage', onStorage)
  return () => {
    listeners.delete(listener)
    window.removeEventListener('storage', onStorage)
  }
}

function save(next: readonly string[]): void {
  current = next
  writeSetting(KEY, next)
  for (const l of listeners) l()
}

export interface Favorites {
  ids: readonly string[]
  has(folderId: string): boolean
  toggle(folderId: string): void
}

export function useFavorites(): Favorites {
  const ids = useSyncExternalStore(subscribe, () => current)
  const has = useCallback((id: string) => ids.includes(id), [ids])
  const toggle = useCallback(
    (id: string) => save(current.includes(id) ? current.filter((f) => f !== id) : [...current, id]),
    [],
  )
  return { ids, has, toggle }
}
