/**
 * Hands a file to the user. Inside the Electron app the main process shows a save dialog (the renderer
 * cannot write files, and the app blocks every non-app:// request, downloads included); in a browser
 * (web host) it is an ordinary download of a Blob URL.
 */
export async function saveFile(fileName: string, blob: Blob): Promise<'saved' | 'cancelled'> {
  const bridge = window.harbor
  if (bridge?.saveFile) {
    const bytes = new Uint8Array(await blob.arrayBuffer())
    return (await bridge.saveFile(fileName, bytes)) ? 'saved' : 'cancelled'
  }
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = fileName
  a.rel = 'noopener'
  document.body.append(a)
  a.click()
  a.remove()
  // The download has its own reference by now; the URL only has to outlive the click.
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
  return 'saved'
}
