import { useCallback, useState } from 'react'
import { readSetting, writeSetting } from './local-settings'

/** A UI preference kept in localStorage (local-settings.ts), as React state. */
export function useLocalSetting<T extends string | boolean>(
  key: string,
  initial: T,
  isValid: (value: unknown) => value is T,
): [T, (value: T) => void] {
  const [value, setValue] = useState<T>(() => readSetting(key, initial, isValid))
  const set = useCallback(
    (next: T) => {
      setValue(next)
      writeSetting(key, next)
    },
    [key],
  )
  return [value, set]
}
