import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react'

export interface LastFailure {
  /** What the user asked for: "Send/Receive", "Delete". */
  action: string
  message: string
  at: number
  /** Runs the same action again (the status bar's Retry). */
  retry?: () => void
}

interface Activity {
  lastFailure: LastFailure | null
  reportFailure(failure: Omit<LastFailure, 'at'>): void
  clearFailure(): void
}

const ActivityContext = createContext<Activity | undefined>(undefined)

/** The window's most recent failed action, for the status bar's "last error, retry". */
export function ActivityProvider({ children }: { children: ReactNode }): React.JSX.Element {
  const [lastFailure, setLastFailure] = useState<LastFailure | null>(null)
  const reportFailure = useCallback(
    (failure: Omit<LastFailure, 'at'>) => setLastFailure({ ...failure, at: Date.now() }),
    [],
  )
  const clearFailure = useCallback(() => setLastFailure(null), [])
  const value = useMemo(
    () => ({ lastFailure, reportFailure, clearFailure }),
    [lastFailure, reportFailure, clearFailure],
  )
  return <ActivityContext.Provider value={value}>{children}</ActivityContext.Provider>
}

export function useActivity(): Activity {
  const value = useContext(ActivityContext)
  if (!value) throw new Error('useActivity() needs an <ActivityProvider> above it')
  return value
}
