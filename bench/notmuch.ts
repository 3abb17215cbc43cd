// notmuch: `notmuch new` indexing a Maildir of the same corpus, then a few searches of the kinds a
// user types (a common word, a sender within a date range, a subject phrase). Reported as two lines:
// the index time and the mean time of one search (process start included, as a CLI user sees it).

import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { generateCorpus, writeMaildir } from '../src/lab/corpus'
import { referencePair, type Bench, type BenchContext } from './lib/context'
import { log } from './lib/result'
import { runProcess } from './lib/run-process'

const QUERIES = ['migration', 'from:smith and date:2023-01-01..2023-12-31', 'subject:"budget review"']
const REPEATS = 10

interface NotmuchSetup {
  env: NodeJS.ProcessEnv
}

async function notmuchSetup(ctx: BenchContext): Promise<NotmuchSetup> {
  const dir = await ctx.scratch('notmuch')
  const mail = join(dir, 'mail')
  // The server's Maildir is not indexed in place: notmuch would add a .notmuch dir Dovecot sees as a folder.
  const written = writeMaildir(mail, generateCorpus(ctx.corpus), ctx.corpus.seed)
  log(`notmuch: wrote ${written.count} messages to ${mail}`)
  const config = join(dir, 'notmuch-config')
  await writeFile(
    config,
    [
      '[database]',
      `path=${mail}`,
      '[user]',
      `primary_email=${ctx.user.address}`,
      '[new]',
      'tags=unread;inbox;',
      '[search]',
      'exclude_tags=',
      '[maildir]',
      'synchronize_flags=true',
      '',
    ].join('\n'),
  )
  return { env: { ...process.env, NOTMUCH_CONFIG: config, HOME: dir } }
}

export function notmuchBenches(): Bench[] {
  return referencePair(
    'notmuch',
    notmuchSetup,
    {
      name: 'search-notmuch-index',
      run: async ({ env }, ctx, signal) => {
        const r = await runProcess('notmuch', ['new', '--quiet'], { env, signal })
        const count = await runProcess('notmuch', ['count', '*'], { env, signal })
        if (Number(count.stdout.trim()) !== ctx.n)
          throw new Error(`notmuch indexed ${count.stdout.trim()} of ${ctx.n}`)
        return r.seconds
      },
    },
    {
      name: 'search-notmuch',
      run: async ({ env }, _ctx, signal) => {
        let total = 0
        for (const q of QUERIES) {
          let sum = 0
          let hits = 0
          for (let i = 0; i < REPEATS; i++) {
            const r = await runProcess('notmuch', ['search', '--output=summary', q], { env, signal })
            sum += r.seconds
            hits = r.stdout === '' ? 0 : r.stdout.trimEnd().split('\n').length
          }
          log(
            `notmuch search ${JSON.stringify(q)}: ${hits} threads, ${((sum / REPEATS) * 1000).toFixed(0)} ms`,
          )
          total += sum
        }
        return total / (QUERIES.length * REPEATS)
      },
    },
  )
}
