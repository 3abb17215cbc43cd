// The page's entry (index.html): the store and the startup snapshot's reads first, in a small chunk with none of
// React or the UI, then the rest of the app (main.tsx): the database opens and the first screen is read while
// the app's chunk loads and evaluates, not after it. (Preloading that chunk from index.html was no faster:
// its compile then ran before this chunk's evaluation.)
import './app/start-store-read'

import('./main').catch((error: unknown) => {
  console.error('[boot] the app bundle could not be loaded', error)
  const root = document.getElementById('root')
  if (root)
    root.textContent =
      'Harbor Mail could not load its window. Reload it (Ctrl+R); if that does not help, reinstall the app.'
})
