// The store started opening in boot.ts, before this bundle was loaded (see start-store-read.ts).
import { storeRead } from './app/start-store-read'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './app/App'
import './app/global.css'
import { afterFirstScreen, markStartup } from './app/startup-marks'
import { startupSnapshot } from './app/startup-snapshot'
import { WorkerLink } from './sync/worker-link'

/**
 * How long the first render waits for the store's copy of the accounts and folders. Rendered with them, the
 * first frame has the folder tree and opens its list; without, the shell renders again for each answer
 * (each pass a full render of the window). A store that is slow to open (an upgrade by the sync worker in
 * progress, a cold disk) gets the shell with its spinners after this long, as before.
 */
const STARTUP_WAIT_MS = 400

/** The sync worker starts at the latest this long after the first render (see afterFirstScreen). */
const WORKER_START_CAP_MS = 1000

// Every module of the bundle above has been evaluated by now.
markStartup('script')

// For POP3 accounts the store is the only copy of the mail: ask the browser never to evict it under storage
// pressure (best-effort storage may be cleared without asking). Electron grants it; a browser may decline,
// which changes nothing else.
void navigator.storage?.persist?.().catch(() => false)

const root = document.getElementById('root')
if (!root) throw new Error('index.html has no #root element')
// One sync worker per page for the page's whole life; React (and StrictMode's double effects) never restarts it.
// Started once the first screen is drawn: its bundle, core connection and start-up reads would compete with
// the page's first reads and render for the store and the CPU (calls made before wait for it).
const link = new WorkerLink()
window.addEventListener('pagehide', () => link.dispose())
void Promise.race([
  storeRead.catch(() => undefined),
  new Promise((resolve) => setTimeout(resolve, STARTUP_WAIT_MS)),
]).then(() => {
  const snapshot = startupSnapshot()
  markStartup('first-render', { snapshot: snapshot !== undefined })
  afterFirstScreen(() => link.start(), (snapshot?.list?.rows.length ?? 0) > 0, WORKER_START_CAP_MS)
  createRoot(root).render(
    <StrictMode>
      <App link={link} />
    </StrictMode>,
  )
})
