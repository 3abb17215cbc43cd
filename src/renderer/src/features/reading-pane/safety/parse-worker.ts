/**
 * The reading pane's parse worker: postal-mime on a message's raw bytes, with the limits of
 * display-limits.ts. A Worker keeps the UI thread free whatever the message does to the parser, and can be
 * terminated when a parse runs past its time (the page cannot interrupt a synchronous loop of its own).
 */
import { parseWithLimits, type ParseOutcome } from './parse-with-limits'

export interface ParseRequest {
  id: number
  raw: Uint8Array
}

export interface ParseResponse {
  id: number
  outcome: ParseOutcome
}

// The web tsconfig uses the DOM lib; in this module `self` is the worker scope, typed as far as it is used.
const scope = self as unknown as {
  onmessage: ((event: MessageEvent<ParseRequest>) => void) | null
  postMessage(message: ParseResponse, transfer: ArrayBuffer[]): void
}

scope.onmessage = (event: MessageEvent<ParseRequest>) => {
  const { id, raw } = event.data
  void parseWithLimits(raw).then((outcome) => {
    // The attachments' buffers move to the page instead of being copied.
    const transfer =
      outcome.kind === 'ok' ? [...new Set(outcome.message.attachments.map((a) => a.content.buffer))] : []
    scope.postMessage({ id, outcome }, transfer as ArrayBuffer[])
  })
}
