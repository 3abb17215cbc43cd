import { startStepTimeline, type StepTimeline } from '../engine/step-timeline'

const none: StepTimeline = { mark: () => undefined }
let current = none

/**
 * The steps of the last sync of all accounts (Send/Receive, the periodic pass) on `globalThis.__imapTimings`,
 * for bench/imap-resync-profile.ts. Passes of several accounts run side by side and mark the same timeline.
 */
export function startPassTimeline(): void {
  current = startStepTimeline('__imapTimings')
}

/** Ends the current step of the pass timeline under this name. */
export function passMark(step: string): void {
  current.mark(step)
}
