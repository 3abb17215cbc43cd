import { useEffect, useState } from 'react'

/**
 * The current time, refreshed every `everyMs` so "Today" moves on at midnight without a reload. `initial`:
 * the time to start from (what the startup snapshot counted its date groups for).
 */
export function useNow(everyMs = 60_000, initial?: number): number {
  const [now, setNow] = useState(() => initial ?? Date.now())
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs)
    return () => clearInterval(timer)
  }, [everyMs])
  return now
}
