// What every bench gets: the running lab, the user whose INBOX holds the corpus, and scratch space.

import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { corpusForLab, type CorpusOptions } from '../../src/lab/corpus'
import type { Lab, LabUser } from '../../src/lab/lab'
import type { Extra, RefName } from './result'

export interface BenchContext {
  /** Messages in the user's INBOX. */
  n: number
  lab: Lab
  user: LabUser
  /** The lab CA as a file, for tools that want a path. */
  caFile: string
  /** Options the INBOX corpus was generated with (to regenerate it elsewhere, e.g. for notmuch). */
  corpus: CorpusOptions
  /** A fresh directory under the run's temp dir. */
  scratch(name: string): Promise<string>
}

export interface Bench {
  name: string
  ref: RefName
  /** Seconds the reference tool takes. */
  reference(ctx: BenchContext, signal: AbortSignal): Promise<number>
  /**
   * Seconds the product takes for the same work (or those seconds with extra figures for the JSON line);
   * absent until the product has the feature.
   */
  ours?: (ctx: BenchContext, signal: AbortSignal) => Promise<number | OursResult>
  /** Stops whatever the bench kept running for a later one (a browser, a server); called once at the end. */
  cleanup?: () => Promise<void>
}

/** What an `ours` function may return besides bare seconds: figures printed beside them (memory, phases). */
export interface OursResult {
  seconds: number
  extra?: Extra
}

export async function createContext(
  lab: Lab,
  user: LabUser,
  n: number,
  tmp: string,
  corpus: CorpusOptions,
): Promise<BenchContext> {
  const caFile = join(tmp, 'lab-ca.pem')
  await writeFile(caFile, lab.caPem)
  return {
    n,
    lab,
    user,
    caFile,
    corpus,
    scratch: async (name) => {
      const dir = join(tmp, name)
      await mkdir(dir, { recursive: true })
      return dir
    },
  }
}

export function assertCount(what: string, got: number, want: number): void {
  if (got !== want) throw new Error(`${what}: got ${got} messages, expected ${want}`)
}

/** One run of a reference tool that works on state a first run prepared. */
export type StatefulRun<S> = (state: S, ctx: BenchContext, signal: AbortSignal) => Promise<number>

/**
 * Two reference benches on one prepared state, e.g. a full sync and then the no-change resync of the same
 * Maildir: the first prepares the state (config files, scratch dirs), the second reuses it and refuses to
 * run alone, since a second run on a fresh state would measure the first.
 */
export function referencePair<S>(
  ref: RefName,
  prepare: (ctx: BenchContext) => Promise<S>,
  first: { name: string; run: StatefulRun<S> },
  second: { name: string; run: StatefulRun<S> },
): Bench[] {
  let state: Promise<S> | undefined
  return [
    {
      name: first.name,
      ref,
      reference: async (ctx, signal) => {
        state = prepare(ctx)
        return first.run(await state, ctx, signal)
      },
    },
    {
      name: second.name,
      ref,
      reference: async (ctx, signal) => {
        if (!state) throw new Error(`${first.name} must run before ${second.name}`)
        return second.run(await state, ctx, signal)
      },
    },
  ]
}

/**
 * The usual set-up: a corpus of `n` messages (seeded) loaded into alice's INBOX in `lab`, and the context for
 * it with scratch space under `tmp`. `loaded` says what loading took.
 */
export async function loadInboxContext(
  lab: Lab,
  n: number,
  tmp: string,
  seed = 1,
): Promise<{ ctx: BenchContext; loaded: Awaited<ReturnType<Lab['loadMaildir']>> }> {
  const user = lab.user('alice')
  const corpus: CorpusOptions = { count: n, seed, domain: lab.domain, users: [user.address] }
  const loaded = await lab.loadMaildir(user.name, 'INBOX', corpusForLab(corpus))
  return { ctx: await createContext(lab, user, n, tmp, corpus), loaded }
}
