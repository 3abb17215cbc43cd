/**
 * What the user is told after messages were moved or copied to a folder (Move to folder…, Copy to folder…,
 * Ctrl+drop): done, or queued for upload when the target is on a server.
 */
/** "1 message", "2,500 messages". */
export function messageCount(n: number): string {
  return n === 1 ? '1 message' : `${n.toLocaleString()} messages`
}

export function transferNotice(
  mode: 'move' | 'copy',
  messages: number,
  folderName: string,
  queued: number,
): string {
  const count = messageCount(messages)
  if (queued > 0) {
    const verb = mode === 'move' ? 'Moving' : 'Copying'
    const rest = mode === 'move' ? '; the local copies go once it has them' : ''
    return `${verb} ${count} to “${folderName}”: uploading to the server${rest}.`
  }
  return `${mode === 'move' ? 'Moved' : 'Copied'} ${count} to “${folderName}”.`
}
