// Public API of the hostile corpus generator (see README.md).
export { hostileCorpus, HOSTILE_CASE_COUNT } from './corpus'
export { canaryUrl, EXECUTED_PREFIX, EXECUTED_STORAGE_KEY, execPayload, markerOf, pad2 } from './payload'
export { DEEP_NESTING_LEVELS, HUGE_RECIPIENTS, LARGE_ATTACHMENT_BYTES, MANY_PARTS } from './broken-mime'
export type { HostileCase, HostileContext, HostileExpectation, HostileFlag } from './types'
