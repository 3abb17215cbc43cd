import { writeFile } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { app, dialog, ipcMain, type BrowserWindow } from 'electron'
import { SAVE_FILE_CHANNEL } from '../shared/bridge'

/**
 * Exported mail (mbox, .eml) reaches the disk only through a save dialog the user answers: the renderer
 * proposes a name and hands the bytes; where they go is the user's choice, never the page's.
 */
export function serveSaveFile(win: BrowserWindow): void {
  ipcMain.handle(SAVE_FILE_CHANNEL, async (event, fileName: unknown, bytes: unknown) => {
    if (event.sender !== win.webContents || event.senderFrame !== win.webContents.mainFrame) return false
    if (typeof fileName !== 'string' || !(bytes instanceof Uint8Array)) return false
    const proposed = basename(fileName.replace(/[\\/]/g, ' ')).slice(0, 200) || 'mail'
    const choice = await dialog.showSaveDialog(win, {
      defaultPath: join(app.getPath('downloads'), proposed),
    })
    if (choice.canceled || !choice.filePath) return false
    await writeFile(choice.filePath, bytes)
    return true
  })
  win.on('closed', () => ipcMain.removeHandler(SAVE_FILE_CHANNEL))
}
