import { ipcMain, Notification, type BrowserWindow } from 'electron'
import { NOTICE_MAX_BODY, NOTICE_MAX_TITLE, NOTIFY_CHANNEL } from '../shared/bridge'

const text = (value: unknown, max: number): string | null =>
  typeof value === 'string' ? value.slice(0, max) : null

/**
 * New-mail notifications under Electron: the renderer's notice (title + one line) becomes an OS notification
 * shown by main; clicking it brings the window back. Only the main window's top frame may ask (message
 * frames never can), and only plain, length-capped strings are shown.
 */
export function serveNotifications(win: BrowserWindow): void {
  const onNotify = (event: Electron.IpcMainEvent, notice: unknown): void => {
    if (event.sender !== win.webContents || event.senderFrame !== win.webContents.mainFrame) return
    if (!Notification.isSupported() || typeof notice !== 'object' || notice === null) return
    const { title, body } = notice as Record<string, unknown>
    const t = text(title, NOTICE_MAX_TITLE)
    const b = text(body, NOTICE_MAX_BODY)
    if (t === null || b === null) return
    const shown = new Notification({ title: t, body: b })
    shown.on('click', () => {
      if (win.isDestroyed()) return
      if (win.isMinimized()) win.restore()
      win.show()
      win.focus()
    })
    shown.show()
  }
  ipcMain.on(NOTIFY_CHANNEL, onNotify)
  win.on('closed', () => ipcMain.off(NOTIFY_CHANNEL, onNotify))
}
