import type { MailDb } from '../mail-db'
import { eachThreadKey, readFolderByDate } from '../messages'
import type { ListSpec } from './message-window'

/** One thread of a list: its newest message (the row shown) and every message of it in the list. */
export interface Conversation {
  headId: number
  date: number
  ids: number[]
}

/**
 * The list's messages grouped by thread (the shared thread key written with every row), newest or oldest
 * thread first by its newest message. Unfiltered, this reads index keys only ([folderId+threadId+date]:
 * thread and date come with the key, no row is loaded); filtered lists load the unread / flagged rows,
 * usually a small part of the folder. Cost grows with the folder (every key is read once per change, at
 * most every LIST_REFRESH_MS), unlike the flat list.
 */
export async function loadConversations(db: MailDb, spec: ListSpec): Promise<Conversation[]> {
  const threads = new Map<string, Conversation>()
  const add = (thread: string, date: number, id: number): void => {
    const t = threads.get(thread)
    if (!t) threads.set(thread, { headId: id, date, ids: [id] })
    else {
      t.ids.push(id)
      if (date > t.date || (date === t.date && id > t.headId)) {
        t.headId = id
        t.date = date
      }
    }
  }
  for (const folderId of spec.folderIds) {
    if (spec.filter === 'all') {
      await eachThreadKey(db, folderId, add)
    } else {
      const rows = await readFolderByDate(db, folderId, { filter: spec.filter })
      for (const r of rows) add(r.threadId, r.date, r.id!)
    }
  }
  const sign = spec.order === 'newest' ? -1 : 1
  return [...threads.values()].sort((a, b) => sign * (a.date - b.date) || sign * (a.headId - b.headId))
}
