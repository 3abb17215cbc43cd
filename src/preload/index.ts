import { contextBridge, ipcRenderer } from 'electron'
import {
  CORE_PORT_CHANNEL,
  CORE_PORT_MESSAGE,
  NOTIFY_CHANNEL,
  REQUEST_CORE_PORT_CHANNEL,
  SAVE_FILE_CHANNEL,
  type HarborBridge,
} from '../shared/bridge'

// A MessagePort cannot cross contextBridge, so it is re-posted into the page with window.postMessage,
// addressed to our own origin only.
ipcRenderer.on(CORE_PORT_CHANNEL, (event) => {
  window.postMessage(CORE_PORT_MESSAGE, window.location.origin, event.ports)
})

const bridge: HarborBridge = {
  platform: process.platform,
  isElectron: true,
  requestCorePort: () => ipcRenderer.send(REQUEST_CORE_PORT_CHANNEL),
  // Plain strings only cross: main checks them again.
  notify: (notice) =>
    ipcRenderer.send(NOTIFY_CHANNEL, { title: String(notice.title), body: String(notice.body) }),
  saveFile: (fileName, bytes) => ipcRenderer.invoke(SAVE_FILE_CHANNEL, fileName, bytes) as Promise<boolean>,
}

contextBridge.exposeInMainWorld('harbor', bridge)
