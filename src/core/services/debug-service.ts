import { createHash, randomFillSync } from 'node:crypto'
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises'
import { DEBUG_BYTES_DEFAULT_CHUNK, type EventData } from '../../shared/contract'
import { MailError } from '../../shared/errors'
import type { HandlerMap } from '../rpc/server'

export type DebugHandlers = Pick<HandlerMap, 'debug.count' | 'debug.bytes' | 'debug.fail'>

export interface DebugServiceDeps {
  /** Broadcasts `debug.tick` to every connection. */
  emitTick(data: EventData<'debug.tick'>): void
}

/** How often a tight loop yields so cancel messages (and other callers) get a turn. */
const YIELD_EVERY = 256

/**
 * Diagnostics only (see `debugMethods` in the contract): streaming, cancellation, large bodies and error
 * mapping, exercised through the real server and transports by unit and e2e tests.
 */
export function createDebugHandlers(deps: DebugServiceDeps): DebugHandlers {
  return {
    'debug.count': async ({ to, delayMs }, { signal, sendChunk }) => {
      for (let i = 1; i <= to; i++) {
        if (delayMs) await sleep(delayMs, undefined, { signal }).catch(() => undefined)
        else if (i % YIELD_EVERY === 0) await nextTurn()
        if (signal.aborted) throw new MailError('CANCELLED', 'The operation was cancelled.')
        sendChunk({ i })
      }
      deps.emitTick({ n: to })
      return { total: to }
    },

    'debug.bytes': async ({ size, chunkSize = DEBUG_BYTES_DEFAULT_CHUNK }, { signal, sendChunk }) => {
      const hash = createHash('sha256')
      for (let offset = 0; offset < size; offset += chunkSize) {
        // A fresh buffer per chunk: sending hands it over (it may be transferred and detached).
        const chunk = randomFillSync(new Uint8Array(Math.min(chunkSize, size - offset)))
        hash.update(chunk)
        sendChunk(chunk)
        await nextTurn()
        if (signal.aborted) throw new MailError('CANCELLED', 'The operation was cancelled.')
      }
      return { size, sha256: hash.digest('hex') }
    },

    'debug.fail': async ({ code }) => {
      if (code === 'crash')
        throw new Error('debug.fail crash requested: internal detail that must stay in core')
      throw new MailError(code, `debug.fail was asked to fail with ${code}.`, 'requested by debug.fail')
    },
  }
}
