// tsx src/lab/corpus/cli.ts --count 10000 --seed 1 --out <dir> [--size small] [--domain d] [--users a,b]
// Writes a deterministic corpus as a Maildir; without --out it only generates and reports the speed.

import { parseArgs } from 'node:util'
import { generateCorpus, type SizeProfile } from './generate'
import { writeMaildir } from './maildir'

function main(): void {
  const { values } = parseArgs({
    options: {
      count: { type: 'string', default: '1000' },
      seed: { type: 'string', default: '1' },
      out: { type: 'string' },
      size: { type: 'string', default: 'realistic' },
      domain: { type: 'string', default: 'example.test' },
      users: { type: 'string', default: 'alice,bob' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  if (values.help) {
    process.stdout.write(
      'usage: tsx src/lab/corpus/cli.ts --count N --seed S [--out MAILDIR] [--size realistic|small] [--domain D] [--users a,b]\n',
    )
    return
  }
  const count = Number(values.count)
  const seed = Number(values.seed)
  if (!Number.isInteger(count) || count < 0 || !Number.isInteger(seed))
    throw new Error('--count and --seed must be integers')
  if (values.size !== 'realistic' && values.size !== 'small')
    throw new Error('--size must be realistic or small')
  const size: SizeProfile = values.size
  const corpus = generateCorpus({
    count,
    seed,
    size,
    domain: values.domain,
    users: values.users.split(',').filter(Boolean),
  })
  const started = performance.now()
  let result: { count: number; bytes: number }
  if (values.out) {
    result = writeMaildir(values.out, corpus, seed, (n) => process.stderr.write(`\r${n}/${count}`))
    process.stderr.write('\n')
  } else {
    result = { count: 0, bytes: 0 }
    for (const m of corpus) {
      result.count++
      result.bytes += m.raw.length
    }
  }
  const seconds = (performance.now() - started) / 1000
  const mib = result.bytes / 1024 / 1024
  process.stdout.write(
    `${result.count} messages, ${mib.toFixed(1)} MiB (avg ${(result.bytes / Math.max(1, result.count) / 1024).toFixed(1)} KiB) ` +
      `in ${seconds.toFixed(2)} s${values.out ? ` -> ${values.out}` : ''}\n`,
  )
}

main()
