import type { HandlerMap } from '../rpc/server'
import { fetchRemoteImage } from '../remote-content/fetch-image'

export type RemoteHandlers = Pick<HandlerMap, 'remote.fetchImage'>

/** Remote pictures of messages, fetched by core on the user's consent; see `remoteMethods`. */
export function createRemoteHandlers(): RemoteHandlers {
  return {
    'remote.fetchImage': async ({ url }, ctx) => fetchRemoteImage(url, ctx.signal),
  }
}
