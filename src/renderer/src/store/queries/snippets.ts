import type { MailDb } from '../mail-db'
import type { MessageRow } from '../rows'

/**
 * The rows with their snippets: a row written without one (an IMAP header pass) gets it from `snippets`
 * once the background pass has fetched it. Called for the rows a list shows, so it reads a screenful of
 * small rows; inside a live query it also makes the list redraw when snippets arrive. Missing rows
 * (`undefined`, from a bulkGet) stay missing.
 */
export async function withSnippets<T extends MessageRow | undefined>(db: MailDb, rows: T[]): Promise<T[]> {
  const ids = rows.flatMap((r) => (r && r.snippet === '' && r.id !== undefined ? [r.id] : []))
  if (ids.length === 0) return rows
  const found = await db.snippets.bulkGet(ids)
  const byId = new Map(found.flatMap((s) => (s && s.text !== '' ? [[s.id, s.text] as const] : [])))
  if (byId.size === 0) return rows
  return rows.map((r) => {
    const text = r?.id === undefined ? undefined : byId.get(r.id)
    return text === undefined ? r : ({ ...r, snippet: text } as T)
  })
}
