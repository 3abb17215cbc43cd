import { Menu, type MenuItemConstructorOptions } from 'electron'

const isMac = process.platform === 'darwin'

export function installAppMenu(appName: string): void {
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ label: appName, role: 'appMenu' as const }] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        // Ctrl+R is Reply (Outlook); reloading the window is a developer's action, kept off common keys.
        { role: 'reload', accelerator: 'Shift+F5' },
        { role: 'forceReload', accelerator: 'CmdOrCtrl+Shift+F5' },
        { role: 'toggleDevTools' },
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
    { role: 'help', submenu: [{ role: 'about' }] },
  ]
  Menu.setApplicationMenu(Menu.buildFromTemplate(template))
}
