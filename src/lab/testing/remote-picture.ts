import { networkInterfaces } from 'node:os'

/** A 1×1 PNG: the smallest picture a "remote" image server in a test can answer with. */
export const TINY_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
)

/**
 * This machine's first non-loopback IPv4 address. Core refuses to fetch pictures from loopback, so a test's
 * picture server listens here to count as "remote".
 */
export function lanAddress(): string {
  for (const list of Object.values(networkInterfaces()))
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address
  throw new Error('this test needs a non-loopback IPv4 interface')
}
