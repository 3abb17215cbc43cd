import { describe, expect, it } from 'vitest'
import { dateGroups } from './date-groups'

const at = (y: number, m: number, d: number, h = 12): number => new Date(y, m - 1, d, h).getTime()

describe('dateGroups', () => {
  it('makes contiguous newest-first buckets ending in Older', () => {
    // Thursday 2026-05-14
    const groups = dateGroups(at(2026, 5, 14))
    expect(groups.map((g) => g.label)).toEqual([
      'Today',
      'Yesterday',
      'Earlier this week',
      'Last week',
      'Earlier this month',
      'Last month',
      'Older',
    ])
    expect(groups[0]).toEqual({ label: 'Today', from: at(2026, 5, 14, 0), to: null })
    expect(groups[2]!.from).toBe(at(2026, 5, 11, 0)) // Monday
    for (let i = 1; i < groups.length; i++) expect(groups[i]!.to).toBe(groups[i - 1]!.from)
    expect(groups.at(-1)!.from).toBeNull()
  })

  it('drops buckets that are empty on the first days of a week or month', () => {
    // Monday 2026-06-01: "earlier this week" and "earlier this month" are empty
    const labels = dateGroups(at(2026, 6, 1)).map((g) => g.label)
    expect(labels).toEqual(['Today', 'Yesterday', 'Last week', 'Last month', 'Older'])
  })

  it('honours a Sunday week start', () => {
    // Tuesday 2026-05-12, week from Sunday 10th
    const groups = dateGroups(at(2026, 5, 12), 0)
    expect(groups.find((g) => g.label === 'Earlier this week')?.from).toBe(at(2026, 5, 10, 0))
  })
})
