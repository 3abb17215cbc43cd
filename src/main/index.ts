import { join } from 'node:path'
import { app, BrowserWindow } from 'electron'
import { createCore, type Core } from '../core/create-core'
import { realServerProbes } from '../core/server-probes'
import { APP_ORIGIN, registerAppScheme, serveRendererFrom } from './app-protocol'
import { serveCorePorts } from './core-port'
import { serveNotifications } from './notifications'
import { serveSaveFile } from './save-file'
import { installAppMenu } from './menu'
import { createSafeStorageCipher } from './safe-storage-cipher'
import { installSecurityPolicy } from './security'
import { createMainWindow } from './windows/main-window'

// electron-vite sets this only under `electron-vite dev`.
const devServerUrl = process.env['ELECTRON_RENDERER_URL']

registerAppScheme()

let core: Core | undefined
let mainWindow: BrowserWindow | undefined

function openMainWindow(activeCore: Core): void {
  mainWindow = createMainWindow({
    userDataDir: app.getPath('userData'),
    preloadPath: join(__dirname, '../preload/index.cjs'),
    url: devServerUrl ?? `${APP_ORIGIN}/index.html`,
    iconDir: join(__dirname, '../../resources'),
  })
  serveCorePorts(mainWindow, activeCore.rpc)
  serveNotifications(mainWindow)
  serveSaveFile(mainWindow)
  mainWindow.on('closed', () => (mainWindow = undefined))
}

async function start(): Promise<void> {
  installSecurityPolicy(devServerUrl === undefined ? undefined : new URL(devServerUrl).origin)
  serveRendererFrom(join(__dirname, '../renderer'))
  installAppMenu(app.getName())
  core = await createCore({
    dataDir: app.getPath('userData'),
    mode: 'electron',
    secretCipher: createSafeStorageCipher(),
    version: app.getVersion(),
    probes: realServerProbes,
  })
  openMainWindow(core)
}

// One instance owns the mail store and the server connections; a second launch just focuses the first.
if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return
    if (mainWindow.isMinimized()) mainWindow.restore()
    mainWindow.focus()
  })
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
  app.on('activate', () => {
    if (core && BrowserWindow.getAllWindows().length === 0) openMainWindow(core)
  })
  app.on('will-quit', () => void core?.dispose())
  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      console.error('Harbor Mail could not start:', error)
      app.exit(1)
    })
}
