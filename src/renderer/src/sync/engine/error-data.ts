import { MailError, type MailErrorData } from '../../../../shared/errors'
import { isStoreFull, storeFullError } from '../../store/store-full'

/**
 * A failure in the sync worker as the user reads it: core's own errors as they are, a full store as such
 * (it is not the network's fault), anything else as unexpected, with `unexpected` saying what failed and
 * what happens next.
 */
export function errorDataOf(error: unknown, unexpected: string): MailErrorData {
  if (error instanceof MailError) return error.toJSON()
  if (isStoreFull(error)) return storeFullError(error).toJSON()
  return { code: 'INTERNAL', message: unexpected, detail: String(error) }
}
