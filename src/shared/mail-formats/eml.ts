/**
 * .eml files: one RFC 5322 message per file, the bytes unchanged (the store keeps what the server sent).
 * Import accepts a leading mbox "From " line (some tools write one) and drops it, since it is not part of
 * the message (RFC 4155 §2).
 */

/** A file name from the subject and date, safe on Windows, macOS and Linux. */
export function emlFileName(subject: string, date: number, id: number | string): string {
  const day = new Date(Number.isFinite(date) ? date : 0).toISOString().slice(0, 10)
  const printable = [...subject].map((c) => (c.charCodeAt(0) < 0x20 || c === '\u007f' ? ' ' : c)).join('')
  const clean = printable
    .replace(/[<>:"/\\|?*]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 80)
    .replace(/[. ]+$/, '')
  return `${day} ${clean || 'no subject'} (${id}).eml`
}

/** The message of an .eml file. */
export function readEml(file: Uint8Array): Uint8Array {
  const startsWithFrom = file.length > 5 && String.fromCharCode(...file.subarray(0, 5)) === 'From '
  if (!startsWithFrom) return file
  const lf = file.indexOf(0x0a)
  return lf < 0 ? new Uint8Array(0) : file.subarray(lf + 1)
}
