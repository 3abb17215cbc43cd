import { createContext, useContext, useSyncExternalStore, type ReactNode } from 'react'
import type { CoreLinkState, WorkerLink } from './worker-link'

const WorkerLinkContext = createContext<WorkerLink | undefined>(undefined)

/** Hands the page's one WorkerLink (made in main.tsx, outside React's lifecycle) to every component below. */
export function WorkerLinkProvider({
  link,
  children,
}: {
  link: WorkerLink
  children: ReactNode
}): React.JSX.Element {
  return <WorkerLinkContext.Provider value={link}>{children}</WorkerLinkContext.Provider>
}

export function useWorkerLink(): WorkerLink {
  const link = useContext(WorkerLinkContext)
  if (!link) throw new Error('useWorkerLink() needs a <WorkerLinkProvider> above it')
  return link
}

export function useCoreLinkState(): CoreLinkState {
  const link = useWorkerLink()
  return useSyncExternalStore(link.subscribe, () => link.state)
}
