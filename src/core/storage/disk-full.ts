import { MailError } from '../../shared/errors'

const NO_SPACE = new Set(['ENOSPC', 'EDQUOT'])

/** Whether a file-system error means the disk (or the user's quota on it) is full. */
export function isNoSpace(error: unknown): boolean {
  return (
    typeof error === 'object' && error !== null && NO_SPACE.has(String((error as { code?: unknown }).code))
  )
}

/**
 * Runs a write under `dir` and turns "no space" into DISK_FULL with a sentence the user can act on. Every
 * write of core's files replaces whole files (temp + rename), so a failed one changed nothing.
 */
export async function writingIn<T>(dir: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write()
  } catch (error) {
    if (!isNoSpace(error)) throw error
    throw new MailError(
      'DISK_FULL',
      `There is no room left on the disk that holds Harbor Mail's settings and safety copies (${dir}). ` +
        'Nothing was changed. Free some disk space, then try again.',
      String(error),
    )
  }
}
