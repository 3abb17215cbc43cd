/** A date bucket of the message list, newest first: [from, to) in ms; null means unbounded. */
export interface DateGroup {
  label: string
  from: number | null
  to: number | null
}

const DAY = 24 * 60 * 60 * 1000

function startOfDay(ms: number): number {
  const d = new Date(ms)
  d.setHours(0, 0, 0, 0)
  return d.getTime()
}

/** Local midnight `days` days away: DST days are 23 or 25 hours long, so step by calendar, not by 24 h. */
function addDays(midnight: number, days: number): number {
  const d = new Date(midnight)
  d.setDate(d.getDate() + days)
  return d.getTime()
}

/**
 * Outlook's buckets (Today, Yesterday, earlier this week, last week, earlier this month, last month, older),
 * newest first, without empty or overlapping ranges. Mail dated in the future lands in Today.
 * @param weekStartsOn 0 = Sunday … 6 = Saturday (from the locale).
 */
export function dateGroups(now: number, weekStartsOn = 1): DateGroup[] {
  const today = startOfDay(now)
  const yesterday = addDays(today, -1)
  const weekday = new Date(today).getDay()
  const thisWeek = addDays(today, -((weekday - weekStartsOn + 7) % 7))
  const lastWeek = addDays(thisWeek, -7)
  const d = new Date(today)
  const thisMonth = new Date(d.getFullYear(), d.getMonth(), 1).getTime()
  const lastMonth = new Date(d.getFullYear(), d.getMonth() - 1, 1).getTime()

  const candidates: [string, number][] = [
    ['Today', today],
    ['Yesterday', yesterday],
    ['Earlier this week', thisWeek],
    ['Last week', lastWeek],
    ['Earlier this month', thisMonth],
    ['Last month', lastMonth],
  ]
  const groups: DateGroup[] = []
  let upper: number | null = null
  for (const [label, from] of candidates) {
    // Skip buckets that are empty or already covered by a newer one (e.g. on the first of the month).
    if (upper !== null && from >= upper) continue
    groups.push({ label, from, to: upper })
    upper = from
  }
  groups.push({ label: 'Older', from: null, to: upper })
  return groups
}

export const ONE_DAY_MS = DAY

/** The start of the locale's week (0 = Sunday), where the browser knows it; Monday otherwise. */
export function localeWeekStart(locale: string): number {
  try {
    const info = (
      new Intl.Locale(locale) as Intl.Locale & { getWeekInfo?: () => { firstDay: number } }
    ).getWeekInfo?.()
    return info ? info.firstDay % 7 : 1
  } catch {
    return 1
  }
}
