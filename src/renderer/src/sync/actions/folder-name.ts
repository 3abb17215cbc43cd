/**
 * Rules for the name of a new or renamed folder, shared by the dialog (to say what is wrong while typing)
 * and the sync worker (which never trusts the page). Returns what is wrong, or null when the name is fine.
 */
export function folderNameProblem(name: string, delimiter: string | null): string | null {
  const clean = name.trim()
  if (clean === '') return 'Type a name for the folder.'
  if (clean.length > 200) return 'That name is too long; use at most 200 characters.'
  if (delimiter && clean.includes(delimiter)) {
    return `A folder name cannot contain “${delimiter}”: the server uses it to separate subfolders.`
  }
  // LIST wildcards (RFC 9051 §6.3.9) would make the folder unlistable on many servers.
  if (/[%*]/.test(clean)) return 'A folder name cannot contain “%” or “*”.'
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(clean)) return 'A folder name cannot contain control characters.'
  return null
}

/** The full path of a folder named `name` under `parentPath` (null: top level). */
export function childPath(parentPath: string | null, name: string, delimiter: string | null): string {
  const clean = name.trim()
  return parentPath === null ? clean : `${parentPath}${delimiter ?? '/'}${clean}`
}

/** Whether `path` is `root` itself or one of its subfolders. */
export function isInTree(path: string, root: string, delimiter: string | null): boolean {
  return path === root || path.startsWith(`${root}${delimiter ?? '/'}`)
}
