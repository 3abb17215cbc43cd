import { useState } from 'react'

/**
 * `value`, or the one returned before while `equal` says they are the same: a live query's new answer with
 * the same rows (or a list rebuilt from equal parts) keeps the previous array, so what draws from it does not
 * render again for nothing.
 */
export function useKeptWhileEqual<T>(value: T, equal: (kept: T, next: T) => boolean): T {
  const [kept, setKept] = useState({ seen: value, shown: value })
  if (kept.seen === value) return kept.shown
  const shown = equal(kept.shown, value) ? kept.shown : value
  // During render, as React allows for state derived from props: the next render starts from it.
  setKept({ seen: value, shown })
  return shown
}
