import { join } from 'node:path'
import { BrowserWindow } from 'electron'
import { loadWindowState, trackWindowState } from './window-state'

export interface MainWindowOptions {
  userDataDir: string
  preloadPath: string
  /** app://shell/index.html in a packaged or built app; Vite's dev server URL under `electron-vite dev`. */
  url: string
  iconDir: string
}

export function createMainWindow(opts: MainWindowOptions): BrowserWindow {
  const state = loadWindowState(opts.userDataDir)
  const win = new BrowserWindow({
    ...state.bounds,
    minWidth: 640,
    minHeight: 480,
    show: false,
    title: 'Harbor Mail',
    icon: join(opts.iconDir, 'icon.png'),
    backgroundColor: '#00000000',
    autoHideMenuBar: process.platform !== 'darwin',
    webPreferences: {
      preload: opts.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: true,
      // Middle-click would open links in a new window, bypassing the window-open handler's checks.
      disableBlinkFeatures: 'Auxclick',
    },
  })
  if (state.maximized) win.maximize()
  trackWindowState(win, opts.userDataDir)
  win.once('ready-to-show', () => win.show())
  void win.loadURL(opts.url)
  return win
}
