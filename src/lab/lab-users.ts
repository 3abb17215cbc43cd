import { join } from 'node:path'
import type { LabInfo, LabUser } from './types'

export function labUser(info: Pick<LabInfo, 'users'>, name: string): LabUser {
  const user = info.users.find((u) => u.name === name || u.address === name)
  if (!user) throw new Error(`No lab user "${name}" (have: ${info.users.map((u) => u.name).join(', ')})`)
  return user
}

/**
 * On-disk directory of a folder in Maildir++ layout (the IMAP separator is '/', on disk it is '.').
 * INBOX is the Maildir root.
 */
export function maildirPath(info: LabInfo, userName: string, folder = 'INBOX'): string {
  const root = join(info.paths.mailRoot, labUser(info, userName).name, 'Maildir')
  if (folder.toUpperCase() === 'INBOX') return root
  if (folder.includes('.')) throw new Error(`Lab folder names may not contain '.': ${folder}`)
  return join(root, `.${folder.split('/').join('.')}`)
}
