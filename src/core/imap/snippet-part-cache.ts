import type { SnippetPart } from './header-record'

/** Entries kept per account, across folders: ~100 bytes each, so at most a few tens of MB. */
const MAX_ENTRIES = 250_000

/**
 * Where each message's text part is, remembered from the header pass (which fetches BODYSTRUCTURE anyway)
 * for the snippet pass that follows it: without it the snippet pass fetched and parsed every BODYSTRUCTURE a
 * second time. Keyed by folder and UIDVALIDITY, so a UID never names another message; a folder's entries
 * are dropped once its snippets were fetched, the oldest folder's first when the cache is full. A miss only
 * costs the BODYSTRUCTURE fetch it would have cost anyway.
 */
export class SnippetPartCache {
  private readonly folders = new Map<
    string,
    { uidValidity: number; parts: Map<number, SnippetPart | null> }
  >()
  private size = 0

  remember(folder: string, uidValidity: number, parts: ReadonlyMap<number, SnippetPart | null>): void {
    let entry = this.folders.get(folder)
    if (entry && entry.uidValidity !== uidValidity) {
      this.forget(folder)
      entry = undefined
    }
    if (!entry) {
      entry = { uidValidity, parts: new Map() }
      this.folders.set(folder, entry)
    }
    for (const [uid, part] of parts) {
      if (!entry.parts.has(uid)) this.size++
      entry.parts.set(uid, part)
    }
    while (this.size > MAX_ENTRIES) {
      const oldest = this.folders.keys().next().value
      if (oldest === undefined) break
      this.forget(oldest)
    }
  }

  /** The parts known for these UIDs (null: the message has no text part); UIDs not in the map are unknown. */
  lookup(folder: string, uidValidity: number, uids: readonly number[]): Map<number, SnippetPart | null> {
    const entry = this.folders.get(folder)
    const out = new Map<number, SnippetPart | null>()
    if (!entry || entry.uidValidity !== uidValidity) return out
    for (const uid of uids) {
      const part = entry.parts.get(uid)
      if (part !== undefined) out.set(uid, part)
    }
    return out
  }

  forget(folder: string): void {
    const entry = this.folders.get(folder)
    if (!entry) return
    this.size -= entry.parts.size
    this.folders.delete(folder)
  }
}
