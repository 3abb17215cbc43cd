/** Exponential backoff with jitter, capped (AWS "full jitter" style, but never below half the step). */
export interface BackoffOptions {
  /** First delay. Default 500 ms. */
  initialMs?: number
  /** Cap. Default 60 s. */
  maxMs?: number
  /** Growth per attempt. Default 2. */
  factor?: number
}

/**
 * Delay before retry number `attempt` (0-based): `min(max, initial·factor^attempt)`, then a random point in
 * its upper half, so many clients cut off together (a server restart) do not come back in lockstep.
 */
export function backoffDelay(
  attempt: number,
  opts: BackoffOptions = {},
  random: () => number = Math.random,
): number {
  const initial = opts.initialMs ?? 500
  const max = opts.maxMs ?? 60_000
  const step = Math.min(max, initial * (opts.factor ?? 2) ** Math.max(0, attempt))
  return Math.round(step / 2 + random() * (step / 2))
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve()
    const timer = setTimeout(done, ms)
    function done(): void {
      clearTimeout(timer)
      signal?.removeEventListener('abort', done)
      resolve()
    }
    signal?.addEventListener('abort', done, { once: true })
  })
}
