import { readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { PORT_COUNT, PORT_OFFSETS, type LabPorts } from './types'

const RANGE_LOW = 10000

/**
 * Lab ports stay below the kernel's ephemeral range (Linux default 32768-60999). Inside it, an outgoing
 * connection may take a lab port as its source port while a server is down, so a restarted Dovecot could
 * not bind again, and a "refused" probe can even self-connect (TCP simultaneous open) and succeed.
 */
function rangeHigh(): number {
  try {
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0])
    if (Number.isInteger(low) && low > RANGE_LOW + 1000) return low - 1
  } catch {
    // not Linux: fall back to the IANA dynamic range's start
  }
  return 49151
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer()
    server.once('error', () => resolve(false))
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)))
  })
}

async function rangeFree(base: number): Promise<boolean> {
  for (let i = 0; i < PORT_COUNT; i++) if (!(await portFree(base + i))) return false
  return true
}

export function portsFrom(base: number): LabPorts {
  const entries = Object.entries(PORT_OFFSETS).map(([k, off]) => [k, base + off])
  return Object.fromEntries(entries) as unknown as LabPorts
}

/**
 * Finds `PORT_COUNT` consecutive free loopback ports. Without a base it starts at a random point, so
 * several engineers' labs on one machine rarely collide; the servers bind a moment later, so a race is
 * still possible and surfaces as a start error naming the port.
 */
export async function pickBasePort(requested?: number): Promise<number> {
  if (requested !== undefined) {
    if (!(await rangeFree(requested))) {
      throw new Error(`Lab ports ${requested}-${requested + PORT_COUNT - 1} on 127.0.0.1 are not all free`)
    }
    return requested
  }
  const high = rangeHigh() - PORT_COUNT
  const slots = Math.floor((high - RANGE_LOW) / 10)
  const start = Math.floor(Math.random() * slots)
  for (let i = 0; i < 50; i++) {
    const base = RANGE_LOW + ((start + i * 37) % slots) * 10
    if (await rangeFree(base)) return base
  }
  throw new Error(`No ${PORT_COUNT} consecutive free ports found between ${RANGE_LOW} and ${high}`)
}
