import { createContext, useContext, useMemo, useState, type ReactNode } from 'react'
import type { FolderRow } from '../../store/rows'
import { FolderPickerDialog } from './FolderPickerDialog'
import { ImportDialog } from './ImportDialog'

export interface ArchiveDialogs {
  /** With `files` (dropped on a folder) the import starts at once; without, the dialog offers a picker. */
  importInto(folder: FolderRow, files?: File[]): void
  /** "Copy to folder…": any folder of any account (local mail to a server folder is uploaded, queued). */
  copyTo(messageIds: number[]): void
}

type Open =
  | { kind: 'import'; folder: FolderRow; files: File[] | undefined }
  | { kind: 'copy'; messageIds: number[] }
  | null

const ArchiveDialogsContext = createContext<ArchiveDialogs | undefined>(undefined)

/** Import (mbox/.eml) and Copy to folder…, one at a time, from the folder tree and the message list. */
export function ArchiveDialogsProvider({ children }: { children: ReactNode }): React.JSX.Element {
  const [open, setOpen] = useState<Open>(null)
  const value = useMemo<ArchiveDialogs>(
    () => ({
      importInto: (folder, files) => setOpen({ kind: 'import', folder, files }),
      copyTo: (messageIds) => setOpen({ kind: 'copy', messageIds }),
    }),
    [],
  )
  const close = (): void => setOpen(null)
  return (
    <ArchiveDialogsContext.Provider value={value}>
      {children}
      {open?.kind === 'import' && (
        <ImportDialog folder={open.folder} initialFiles={open.files} onClose={close} />
      )}
      {open?.kind === 'copy' && (
        <FolderPickerDialog mode="copy" messageIds={open.messageIds} onClose={close} />
      )}
    </ArchiveDialogsContext.Provider>
  )
}

export function useArchiveDialogs(): ArchiveDialogs {
  const value = useContext(ArchiveDialogsContext)
  if (!value) throw new Error('useArchiveDialogs() needs an <ArchiveDialogsProvider> above it')
  return value
}
