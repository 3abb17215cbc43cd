// Keeps a bench from running forever: the work is told to abort, and the caller gets a rejection.

export class BenchTimeoutError extends Error {}

export async function withTimeout<T>(
  ms: number,
  what: string,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController()
  let timer: NodeJS.Timeout | undefined
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const err = new BenchTimeoutError(`${what} timed out after ${Math.round(ms / 1000)} s`)
      controller.abort(err)
      reject(err)
    }, ms)
  })
  try {
    return await Promise.race([work(controller.signal), expired])
  } finally {
    clearTimeout(timer)
  }
}
