import { ipcMain, MessageChannelMain, type BrowserWindow } from 'electron'
import type { RpcServer } from '../core/rpc/server'
import { fromEventEmitterPort } from '../shared/rpc/message-port-transport'
import { CORE_PORT_CHANNEL, REQUEST_CORE_PORT_CHANNEL } from '../shared/bridge'

/**
 * Hands the renderer one end of a fresh MessageChannel whose other end is attached to the core's RPC server.
 * The renderer asks for it after every (re)load, so a reload never leaves it without a core; the old
 * port's connection is closed and its in-flight calls are aborted by the server.
 */
export function serveCorePorts(win: BrowserWindow, rpc: RpcServer): void {
  let detach: (() => void) | undefined
  const handOver = (): void => {
    detach?.()
    const { port1, port2 } = new MessageChannelMain()
    const connection = rpc.attach(fromEventEmitterPort(port1))
    port1.start()
    detach = () => {
      connection.dispose()
      port1.close()
    }
    win.webContents.postMessage(CORE_PORT_CHANNEL, null, [port2])
  }
  ipcMain.on(REQUEST_CORE_PORT_CHANNEL, (event) => {
    // Only our own window's main frame may ask: sub-frames (message bodies) never get a core connection.
    if (event.sender === win.webContents && event.senderFrame === win.webContents.mainFrame) handOver()
  })
  win.on('closed', () => detach?.())
}
