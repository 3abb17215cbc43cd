import { readSetting, writeSetting } from '../../components/local-settings'

const KEY = 'remote-content-senders'
const isList = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string')

/**
 * Senders whose remote images the user chose to always load. Kept in localStorage for now (per profile);
 * it belongs in the store (synced across windows, exported with the profile) once the store has a
 * settings table.
 */
export function isSenderTrusted(address: string): boolean {
  return readSetting(KEY, [], isList).includes(address.toLowerCase())
}

export function trustSender(address: string): void {
  const list = readSetting(KEY, [], isList)
  const a = address.toLowerCase()
  if (!list.includes(a)) writeSetting(KEY, [...list, a])
}
