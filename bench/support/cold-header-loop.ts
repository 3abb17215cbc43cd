// The same-fields raw imapflow loop in a process of its own, run by imap-store-headers: the product's core is a
// fresh process whose first header pass runs JIT-cold, while the in-process reference loop runs in a process
// that has fetched before. Prints the loop's seconds (connect to logout, not the process start) on stdout.
//   tsx bench/support/cold-header-loop.ts <port> <ca file> <user> <password> <expected count>

import { readFile } from 'node:fs/promises'
import { ImapFlow } from 'imapflow'
import { HEADER_QUERY } from '../../src/core/imap/header-record'

const [port, caFile, user, pass, expected] = process.argv.slice(2)
const ca = await readFile(caFile!, 'utf8')
const t0 = performance.now()
const client = new ImapFlow({
  host: '127.0.0.1',
  port: Number(port),
  secure: true,
  tls: { ca, servername: 'localhost' },
  auth: { user: user!, pass: pass! },
  logger: false,
})
try {
  await client.connect()
  await client.mailboxOpen('INBOX', { readOnly: true })
  let count = 0
  for await (const msg of client.fetch('1:*', HEADER_QUERY)) if (msg.envelope) count++
  if (count !== Number(expected)) throw new Error(`cold header loop: ${count} of ${expected}`)
  await client.logout()
} finally {
  client.close()
}
process.stdout.write(`${(performance.now() - t0) / 1000}\n`)
