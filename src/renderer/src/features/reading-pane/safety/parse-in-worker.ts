import { DISPLAY_LIMITS, tooLarge } from './display-limits'
import type { ParseOutcome } from './parse-with-limits'
import type { ParseRequest, ParseResponse } from './parse-worker'

type Pending = { resolve(outcome: ParseOutcome): void; timer: ReturnType<typeof setTimeout> }

/**
 * One parse worker for the page, started on first use. Requests are answered in any order by id. A parse
 * that outlives `parseTimeoutMs` terminates the worker (and fails every parse in it: they would have waited
 * behind it anyway); the next request starts a fresh one.
 */
class ParseWorkerClient {
  private worker: Worker | undefined
  private readonly pending = new Map<number, Pending>()
  private nextId = 1

  parse(raw: Uint8Array): Promise<ParseOutcome> {
    // Not even copied to the worker: the size alone decides.
    if (raw.byteLength > DISPLAY_LIMITS.maxBytes) {
      return Promise.resolve({ kind: 'limited', reason: tooLarge(raw.byteLength) })
    }
    const worker = this.ensureWorker()
    const id = this.nextId++
    return new Promise<ParseOutcome>((resolve) => {
      const timer = setTimeout(() => this.restart(), DISPLAY_LIMITS.parseTimeoutMs)
      this.pending.set(id, { resolve, timer })
      // Copied, not transferred: the bytes belong to the live query's result and stay usable for "view source".
      worker.postMessage({ id, raw } satisfies ParseRequest)
    })
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker
    const worker = new Worker(new URL('./parse-worker.ts', import.meta.url), {
      type: 'module',
      name: 'parse',
    })
    worker.onmessage = (event: MessageEvent<ParseResponse>) => {
      const p = this.pending.get(event.data.id)
      if (!p) return
      clearTimeout(p.timer)
      this.pending.delete(event.data.id)
      p.resolve(event.data.outcome)
    }
    // A crash of the worker (out of memory, a bug in the parser) fails its parses the same way as a timeout.
    worker.onerror = (event) => {
      event.preventDefault()
      this.restart('malformed')
    }
    this.worker = worker
    return worker
  }

  private restart(code: 'timeout' | 'malformed' = 'timeout'): void {
    this.worker?.terminate()
    this.worker = undefined
    const message =
      code === 'timeout'
        ? `Reading the message took longer than ${DISPLAY_LIMITS.parseTimeoutMs / 1000} seconds and was stopped.`
        : 'The message is malformed and could not be read.'
    for (const p of this.pending.values()) {
      clearTimeout(p.timer)
      p.resolve({ kind: 'limited', reason: { code, message } })
    }
    this.pending.clear()
  }
}

let client: ParseWorkerClient | undefined

/** Parses a message for display off the UI thread, within DISPLAY_LIMITS. Never rejects. */
export function parseInWorker(raw: Uint8Array): Promise<ParseOutcome> {
  client ??= new ParseWorkerClient()
  return client.parse(raw)
}
