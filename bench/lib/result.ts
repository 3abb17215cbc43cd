// The one-line JSON result every bench prints on stdout; everything human-readable goes to stderr.

export type RefName =
  'mbsync' | 'fetchmail' | 'notmuch' | 'imapflow-raw' | 'pop3-raw' | 'list-1k' | 'open-v10'

/** Extra figures a bench prints after the standard fields (peak memory in MB, phase times in s). */
export type Extra = Record<string, number | string | null>

export interface BenchLine {
  bench: string
  n: number
  /** Seconds the product took; null until the product feature exists. */
  ours_s: number | null
  ref: RefName
  ref_s: number | null
  /** ours_s / ref_s: below 1 the product is faster than the reference. */
  ratio: number | null
  /** Only when the bench failed or timed out. */
  error?: string
  /** Any further figures the bench reports (see `Extra`). */
  [extra: string]: number | string | null | undefined
}

const round = (x: number | null): number | null => (x === null ? null : Math.round(x * 1000) / 1000)

export function benchLine(
  bench: string,
  n: number,
  ref: RefName,
  refSeconds: number | null,
  oursSeconds: number | null,
  error?: string,
  extra: Extra = {},
): BenchLine {
  const ratio = oursSeconds !== null && refSeconds ? oursSeconds / refSeconds : null
  return {
    bench,
    n,
    ours_s: round(oursSeconds),
    ref,
    ref_s: round(refSeconds),
    ratio: ratio === null ? null : round2(ratio),
    ...(error !== undefined ? { error } : {}),
    ...extra,
  }
}

export function emit(line: BenchLine): void {
  process.stdout.write(JSON.stringify(line) + '\n')
}

export function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`)
}

/** Seconds `fn` takes, wall clock. */
export async function timed(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now()
  await fn()
  return (performance.now() - started) / 1000
}

/** The middle value (the upper of the two middle ones for an even count). */
export const median = (xs: readonly number[]): number =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

/** Seconds to milliseconds' precision, for JSON lines. */
export const round3 = (s: number): number => Math.round(s * 1000) / 1000

/** A ratio to two decimals, as the JSON lines print them. */
export const round2 = (r: number): number => Math.round(r * 100) / 100
