import type { MailDb } from '../../store/mail-db'
import {
  countBefore,
  countRange,
  readDayCounts,
  totalOf,
  type CountPart,
  type DayCount,
  type ListSpec,
} from '../../store/queries/message-window'
import { dateGroups, localeWeekStart } from './date-groups'
import { layoutGroups, type ListLayout } from './list-layout'
import { messageTables } from '../../store/messages'

const weekStart = localeWeekStart(navigator.language)

/**
 * Counts per date group, from the per-day counts the store keeps: each group boundary costs one count over the
 * part of its day before it, so nothing here grows with the folder. `readDays` / `countPart`: the conversation
 * view counts threads instead of messages.
 */
export async function loadLayout(
  db: MailDb,
  spec: ListSpec,
  now: number,
  readDays: (db: MailDb, spec: ListSpec) => Promise<DayCount[]> = readDayCounts,
  countPart: CountPart = countRange,
): Promise<ListLayout> {
  return db.transaction(
    'r',
    [...messageTables(db), db.listDayCounts, db.threadDays, db.threadDayCounts],
    async () => {
      const days = await readDays(db, spec)
      const total = totalOf(days)
      const groups = dateGroups(now, weekStart)
      // Rows dated before each group's lower edge; "Older" has none and starts at 0.
      const before = await Promise.all(
        groups.map((g) => (g.from === null ? 0 : countBefore(db, spec, days, g.from, countPart))),
      )
      const counted = groups.map((g, i) => ({
        label: g.label,
        // Groups are newest first: a group ends where the one before it (newer) begins.
        count: (i === 0 ? total : before[i - 1]!) - before[i]!,
      }))
      return layoutGroups(spec.order === 'newest' ? counted : counted.reverse())
    },
  )
}
