import { ACTIVE_CONTENT_CASES } from './active-content'
import { BROKEN_MIME_CASES } from './broken-mime'
import { stdHeaders, type CaseSpec } from './build'
import { HEADER_CASES } from './headers'
import { markerOf } from './payload'
import type { HostileCase, HostileContext } from './types'

const ALL: readonly CaseSpec[] = [...ACTIVE_CONTENT_CASES, ...HEADER_CASES, ...BROKEN_MIME_CASES]

/**
 * The whole hostile corpus, numbered from 1 in a fixed order. Deterministic: the same context gives the
 * same bytes (no clock, no randomness). See README.md for what each group covers.
 */
export function hostileCorpus(ctx: HostileContext): HostileCase[] {
  return ALL.map((spec, i) => {
    const id = i + 1
    return {
      id,
      key: spec.key,
      title: spec.title,
      marker: markerOf(id),
      expect: spec.expect ?? 'body',
      flags: spec.flags ?? [],
      raw: spec.make(ctx, id, stdHeaders(ctx, id, spec.title)),
    }
  })
}

/** How many cases `hostileCorpus` returns (without building them). */
export const HOSTILE_CASE_COUNT = ALL.length
