/** Where the corpus is delivered and where a leak would go. */
export interface HostileContext {
  /** The recipient address (the lab user). */
  to: string
  /**
   * Origin of the canary server (`http://127.0.0.1:<port>`): every remote reference and every script in the
   * corpus points there, so a single TCP listener sees any leak the browser-level counting might miss.
   */
  canary: string
  /** Dates are derived from this (one minute apart per case), so the same context gives the same bytes. */
  now: Date
}

/**
 * What the reading pane must show for a case: its body marker (`HOSTILE-CASE-07 visible`), or the "too
 * large or malformed" notice with the raw source on request, for messages beyond the parser's limits.
 */
export type HostileExpectation = 'body' | 'limited'

/** What the UI must flag besides showing the message safely. */
export type HostileFlag = 'sender-warning' | 'risky-attachment'

export interface HostileCase {
  /** 1-based, stable: the case number in the marker and subject. */
  id: number
  /** kebab-case name, e.g. `script-tags`. */
  key: string
  /** What the case attacks, one line. */
  title: string
  /** Text visible in the shown body when the message is displayed (not present when `limited`). */
  marker: string
  expect: HostileExpectation
  flags: readonly HostileFlag[]
  raw: Buffer
}
