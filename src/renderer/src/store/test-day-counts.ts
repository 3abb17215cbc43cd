import type { Table } from 'dexie'
import { getDayRows, readDayRows, type DayCountSpanRow } from './day-count-spans'
import type { ListBucketRow } from './list-buckets'

/**
 * Tests only: per-day count rows read one by one, as tests did when each day was a record of its own
 * (schema before 13), through the span records the store keeps now (day-count-spans.ts).
 */
export function testDayCounts(table: Table<DayCountSpanRow>): {
  toArray(): Promise<ListBucketRow[]>
  count(): Promise<number>
  get(key: [string, number]): Promise<ListBucketRow | undefined>
} {
  return {
    toArray: () => readDayRows(table),
    count: async () => (await readDayRows(table)).length,
    get: async (key) => (await getDayRows(table, [key]))[0],
  }
}
