import type { FolderRow } from '../../store/rows'
import { isInTree } from './folder-name'

type ByPath = ReadonlyMap<string, FolderRow>

const pathMap = (accountId: string, folders: readonly FolderRow[]): ByPath =>
  new Map(folders.filter((f) => f.accountId === accountId).map((f) => [f.path, f]))

/** The folder and its parents, nearest first (a parent the cache lacks ends the chain). */
function chain(folder: FolderRow, byPath: ByPath): FolderRow[] {
  const out: FolderRow[] = []
  const seen = new Set<string>()
  for (let f: FolderRow | undefined = folder; f && !seen.has(f.path);) {
    out.push(f)
    seen.add(f.path)
    f = f.parentPath === null ? undefined : byPath.get(f.parentPath)
  }
  return out
}

function inTree(folder: FolderRow, root: FolderRow, byPath: ByPath): boolean {
  if (folder.accountId !== root.accountId) return false
  if (!root.local) return isInTree(folder.path, root.path, root.delimiter)
  return chain(folder, byPath).some((f) => f.path === root.path)
}

/**
 * Whether `folder` is `root` or lies below it. A server folder's path names its place (the server says so),
 * but a local folder keeps its path when it moves — messages refer to it — so its place is only its chain
 * of parents. `folders` are the account's folders, to walk that chain.
 */
export function isInFolderTree(folder: FolderRow, root: FolderRow, folders: readonly FolderRow[]): boolean {
  return inTree(folder, root, pathMap(root.accountId, folders))
}

/** `root` and every folder below it (see isInFolderTree), `root` first. */
export function folderSubtree(root: FolderRow, folders: readonly FolderRow[]): FolderRow[] {
  const byPath = pathMap(root.accountId, folders)
  return [root, ...folders.filter((f) => f.id !== root.id && inTree(f, root, byPath))]
}

/** Where a folder is, as the user reads it: its parents' names and its own, e.g. "Projects / 2025". */
export function folderPlaceLabel(folder: FolderRow, folders: readonly FolderRow[]): string {
  return chain(folder, pathMap(folder.accountId, folders))
    .map((f) => f.name)
    .reverse()
    .join(' / ')
}
