const KB = 1024

/** "512 B", "14 KB", "3.2 MB": sizes as file managers print them. */
export function formatBytes(bytes: number): string {
  if (bytes < KB) return `${bytes} B`
  if (bytes < KB * KB) return `${Math.round(bytes / KB)} KB`
  if (bytes < KB * KB * KB) return `${(bytes / KB / KB).toFixed(1)} MB`
  return `${(bytes / KB / KB / KB).toFixed(1)} GB`
}

const time = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' })
const weekday = new Intl.DateTimeFormat(undefined, { weekday: 'short', hour: 'numeric', minute: '2-digit' })
const dayMonth = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' })
const full = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' })
const fullLong = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'short' })

/** The list's date column: time today, weekday this week, day + month this year, the date before. */
export function formatListDate(ms: number, now = Date.now()): string {
  const d = new Date(ms)
  const n = new Date(now)
  if (d.toDateString() === n.toDateString()) return time.format(d)
  if (Math.abs(now - ms) < 6 * 24 * 3600 * 1000) return weekday.format(d)
  if (d.getFullYear() === n.getFullYear()) return dayMonth.format(d)
  return full.format(d).split(',')[0] ?? full.format(d)
}

export function formatFullDate(ms: number): string {
  return fullLong.format(new Date(ms))
}

export function formatAddress(a: { name: string; address: string }): string {
  return a.name ? `${a.name} <${a.address}>` : a.address
}
