import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './app/App'
import './app/global.css'
import { markStartup } from './app/startup-marks'
import { readStore } from './store/queries/read-store'
import { WorkerLink } from './sync/worker-link'

// Every module of the bundle above has been evaluated by now.
markStartup('script')
// The store opens while React renders the first frame, not after it (useMailDb asks for the same promise).
void readStore().then(
  () => markStartup('store-open'),
  () => undefined,
)

// For POP3 accounts the store is the only copy of the mail: ask the browser never to evict it under storage
// pressure (best-effort storage may be cleared without asking). Electron grants it; a browser may decline,
// which changes nothing else.
void navigator.storage?.persist?.().catch(() => false)

const root = document.getElementById('root')
if (!root) throw new Error('index.html has no #root element')
// One sync worker per page for the page's whole life; React (and StrictMode's double effects) never restarts it.
const link = new WorkerLink()
window.addEventListener('pagehide', () => link.dispose())
createRoot(root).render(
  <StrictMode>
    <App link={link} />
  </StrictMode>,
)
