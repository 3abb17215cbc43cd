import { z } from 'zod'
import { method, type EventMap, type MethodMap } from './define'

/** Remote images of one message are fetched one call each; this caps a single picture. */
export const REMOTE_IMAGE_MAX_BYTES = 5 * 1024 * 1024

/**
 * Remote content of messages, fetched by core and only on the user's explicit consent ("Show images", or
 * "always for this sender"). The renderer never contacts a mail's servers itself: its CSP allows images
 * only as data:/blob:, and it gets the bytes from here.
 */
export const remoteMethods = {
  /**
   * Downloads one picture a message refers to (http or https; no cookies, no Referer; certificates are
   * verified; at most 3 redirects, 15 s, REMOTE_IMAGE_MAX_BYTES). Addresses on this machine (loopback),
   * link-local ones (cloud metadata) and unspecified/multicast ones are refused at every hop, so a mail
   * cannot make core reach local services.
   * @throws INVALID_PARAMS for a URL that is not http(s) or carries a user name/password.
   * @throws NOT_FOUND / SERVER_ERROR for an HTTP error status; BAD_MESSAGE when the answer is not a picture
   *   or too large; HOST_NOT_FOUND, CONNECTION_REFUSED, TLS_UNTRUSTED, TIMEOUT, NETWORK as usual.
   */
  'remote.fetchImage': method({
    params: z.object({ url: z.string().min(1).max(4096) }),
    result: z.object({ mimeType: z.string(), bytes: z.instanceof(Uint8Array) }),
  }),
} satisfies MethodMap

export const remoteEvents = {} satisfies EventMap
