// The page's entry (index.html): the store and the startup snapshot's reads first, in a small chunk with none of
// React or the UI, then the rest of the app (main.tsx), which index.html also preloads (see the build config).
// The database opens and the first screen is read while the main bundle loads and evaluates, not after it.
import './app/start-store-read'

import('./main').catch((error: unknown) => {
  console.error('[boot] the app bundle could not be loaded', error)
  const root = document.getElementById('root')
  if (root)
    root.textContent =
      'Harbor Mail could not load its window. Reload it (Ctrl+R); if that does not help, reinstall the app.'
})
