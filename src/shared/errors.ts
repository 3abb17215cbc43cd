/**
 * One error type crosses every boundary in the product (core ↔ worker ↔ UI). Library errors are mapped to it
 * in one place per protocol, so the UI can always show `message` to the user and branch on `code`.
 */
export const ERROR_CODES = [
  // protocol / account errors a user can hit
  'AUTH_FAILED',
  'HOST_NOT_FOUND',
  'CONNECTION_REFUSED',
  'TLS_UNTRUSTED',
  'TLS_REQUIRED',
  'TIMEOUT',
  'NETWORK',
  'CAPABILITY_MISSING',
  'MAILBOX_LOCKED',
  'SERVER_ERROR',
  'RECIPIENT_REJECTED',
  /** The server will not relay to that recipient for this sender (SMTP 5.7.x at RCPT, RFC 3463). */
  'RELAY_DENIED',
  'MESSAGE_TOO_LARGE',
  'NOT_FOUND',
  'DISK_FULL',
  /** The local store is not the one core trusts for this POP3 account (reset or replaced): no DELE. */
  'STORE_RESET',
  // local storage of secrets
  'SECRET_UNREADABLE',
  'INSECURE_STORAGE',
  // RPC / programming errors
  'BAD_MESSAGE',
  'UNKNOWN_METHOD',
  'INVALID_PARAMS',
  'INVALID_RESULT',
  'CANCELLED',
  'TRANSPORT_CLOSED',
  'UNAUTHORIZED',
  'INTERNAL',
] as const

export type ErrorCode = (typeof ERROR_CODES)[number]

export interface MailErrorData {
  code: ErrorCode
  /** A sentence a user can act on: what happened and what to do. */
  message: string
  /** Technical detail for logs and the "details" disclosure; never contains secrets or message bodies. */
  detail?: string
}

export class MailError extends Error {
  readonly code: ErrorCode
  readonly detail: string | undefined

  constructor(code: ErrorCode, message: string, detail?: string) {
    super(message)
    this.name = 'MailError'
    this.code = code
    this.detail = detail
  }

  toJSON(): MailErrorData {
    return this.detail === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, detail: this.detail }
  }

  static from(data: MailErrorData): MailError {
    return new MailError(data.code, data.message, data.detail)
  }
}

export function isMailError(value: unknown): value is MailError {
  return value instanceof MailError
}
