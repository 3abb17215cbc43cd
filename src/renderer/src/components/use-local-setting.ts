import { useCallback, useState } from 'react'

const PREFIX = 'harbor-mail:'

/**
 * A UI preference kept in localStorage (per profile, per origin). View settings only: nothing here is mail
 * data, and losing it costs the user a click.
 */
export function useLocalSetting<T extends string | boolean>(
  key: string,
  initial: T,
  isValid: (value: unknown) => value is T,
): [T, (value: T) => void] {
  const [value, setValue] = useState<T>(() => readSetting(key, initial, isValid))
  const set = useCallback(
    (next: T) => {
      setValue(next)
      try {
        localStorage.setItem(PREFIX + key, JSON.stringify(next))
      } catch {
        // Storage full or disabled: the setting just isn't remembered.
      }
    },
    [key],
  )
  return [value, set]
}

export function readSetting<T>(key: string, fallback: T, isValid: (value: unknown) => value is T): T {
  try {
    const raw = localStorage.getItem(PREFIX + key)
    if (raw === null) return fallback
    const parsed: unknown = JSON.parse(raw)
    return isValid(parsed) ? parsed : fallback
  } catch {
    return fallback
  }
}

export function writeSetting(key: string, value: unknown): void {
  try {
    localStorage.setItem(PREFIX + key, JSON.stringify(value))
  } catch {
    // See useLocalSetting.
  }
}
