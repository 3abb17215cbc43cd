import { lookup as dnsLookup, type LookupAddress } from 'node:dns'
import { request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http'
import { request as httpsRequest } from 'node:https'
import type { LookupFunction } from 'node:net'
import { REMOTE_IMAGE_MAX_BYTES } from '../../shared/contract'
import { MailError } from '../../shared/errors'
import { isRefusedAddress } from './address-policy'

const TIMEOUT_MS = 15_000
const MAX_REDIRECTS = 3
/** Raster formats only: an SVG is a document that can refer to more remote resources. */
const PICTURE_TYPES = new Set([
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'image/avif',
  'image/bmp',
  'image/x-icon',
  'image/vnd.microsoft.icon',
])

export interface FetchedImage {
  mimeType: string
  bytes: Uint8Array<ArrayBuffer>
}

/**
 * Resolves like dns.lookup but refuses every answer that is a refused address (see address-policy.ts). It is
 * the socket's own lookup, so the address checked is the address connected to: a DNS answer cannot change
 * between the check and the connection (rebinding).
 */
const guardedLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
    if (error) return callback(error, '', 4)
    const allowed = addresses.filter((a) => !isRefusedAddress(a.address))
    if (allowed.length === 0) {
      return callback(
        new MailError(
          'INVALID_PARAMS',
          `The picture's server (${hostname}) is on this computer or its local link; pictures are not loaded from there.`,
        ),
        '',
        4,
      )
    }
    if (options.all) return callback(null, allowed)
    callback(null, allowed[0]!.address, allowed[0]!.family)
  })
}

function parseUrl(raw: string): URL {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new MailError('INVALID_PARAMS', 'The picture has no valid address.')
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new MailError('INVALID_PARAMS', 'Only pictures on web servers (http or https) are downloaded.')
  if (url.username || url.password)
    throw new MailError(
      'INVALID_PARAMS',
      'The picture address contains a user name or password; it is not loaded.',
    )
  // Literal IP addresses bypass DNS: check them here.
  const host = url.hostname.replace(/^\[|\]$/g, '')
  if (/^[\d.]+$|:/.test(host) && isRefusedAddress(host))
    throw new MailError(
      'INVALID_PARAMS',
      `The picture's server (${host}) is on this computer or its local link; pictures are not loaded from there.`,
    )
  return url
}

function networkError(error: unknown, host: string): MailError {
  if (error instanceof MailError) return error
  const code = (error as { code?: string }).code ?? ''
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return new MailError('HOST_NOT_FOUND', `The picture's server ${host} could not be found.`, code)
  if (code === 'ECONNREFUSED')
    return new MailError('CONNECTION_REFUSED', `The picture's server ${host} refused the connection.`, code)
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code))
    return new MailError(
      'TLS_UNTRUSTED',
      `The picture's server ${host} has a certificate that is not trusted.`,
      code,
    )
  return new MailError('NETWORK', `The picture could not be downloaded from ${host}.`, String(error))
}

function get(url: URL, signal: AbortSignal): Promise<IncomingMessage> {
  const options: RequestOptions = {
    method: 'GET',
    lookup: guardedLookup,
    signal,
    headers: { Accept: 'image/*', 'User-Agent': 'Mozilla/5.0', 'Accept-Encoding': 'identity' },
    agent: false,
  }
  return new Promise((resolve, reject) => {
    const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, options, resolve)
    req.on('error', (e) => reject(networkError(e, url.hostname)))
    req.end()
  })
}

/** Downloads one remote picture for a message, on the user's consent; see `remote.fetchImage`. */
export async function fetchRemoteImage(raw: string, outer?: AbortSignal): Promise<FetchedImage> {
  let url = parseUrl(raw)
  const signal = outer
    ? AbortSignal.any([outer, AbortSignal.timeout(TIMEOUT_MS)])
    : AbortSignal.timeout(TIMEOUT_MS)
  try {
    for (let hop = 0; ; hop++) {
      const res = await get(url, signal)
      const status = res.statusCode ?? 0
      if (status >= 300 && status < 400 && res.headers.location) {
        res.resume()
        if (hop >= MAX_REDIRECTS)
          throw new MailError('SERVER_ERROR', 'The picture address redirects too often.')
        url = parseUrl(new URL(res.headers.location, url).href)
        continue
      }
      if (status !== 200) {
        res.resume()
        throw new MailError(
          status === 404 || status === 410 ? 'NOT_FOUND' : 'SERVER_ERROR',
          `The picture's server answered ${status}.`,
        )
      }
      const mimeType = (res.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase()
      if (!PICTURE_TYPES.has(mimeType)) {
        res.resume()
        throw new MailError(
          'BAD_MESSAGE',
          `The address does not lead to a picture (${mimeType || 'no type'}).`,
        )
      }
      const declared = Number(res.headers['content-length'] ?? NaN)
      if (declared > REMOTE_IMAGE_MAX_BYTES) {
        res.destroy()
        throw new MailError('BAD_MESSAGE', 'The picture is larger than 5 MB; it is not loaded.')
      }
      const chunks: Buffer[] = []
      let size = 0
      for await (const chunk of res as AsyncIterable<Buffer>) {
        size += chunk.length
        if (size > REMOTE_IMAGE_MAX_BYTES) {
          res.destroy()
          throw new MailError('BAD_MESSAGE', 'The picture is larger than 5 MB; it is not loaded.')
        }
        chunks.push(chunk)
      }
      const bytes = new Uint8Array(size)
      let at = 0
      for (const c of chunks) {
        bytes.set(c, at)
        at += c.length
      }
      return { mimeType, bytes }
    }
  } catch (error) {
    if (signal.aborted && !(error instanceof MailError)) {
      throw outer?.aborted
        ? new MailError('CANCELLED', 'The picture download was cancelled.')
        : new MailError('TIMEOUT', `The picture's server ${url.hostname} did not answer in time.`)
    }
    throw networkError(error, url.hostname)
  }
}
