import { startStepTimeline, type StepTimeline } from '../engine/step-timeline'

export type CheckTimeline = StepTimeline

/** The last POP3 check's steps on `globalThis.__pop3Timings` (bench/pop3-store-profile.ts reads them). */
export function startCheckTimeline(): CheckTimeline {
  return startStepTimeline('__pop3Timings')
}
