import { useCallback, useMemo } from 'react'
import {
  Link,
  Toast,
  ToastBody,
  Toaster,
  ToastTitle,
  ToastTrigger,
  useId,
  useToastController,
  type ToastIntent,
} from '@fluentui/react-components'
import { createContext, useContext, type ReactNode } from 'react'

export interface Notify {
  /** Shows an action's failure: the error's own message is written for users (MailError). */
  error(title: string, error: unknown): void
  info(message: string, intent?: ToastIntent): void
  /** Says what was done, with an Undo button (the toast stays a little longer than others). */
  undoable(message: string, undo: () => void): void
}

const NotifyContext = createContext<Notify | undefined>(undefined)

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message
  return typeof error === 'string' ? error : 'Something went wrong.'
}

/** One toaster for the window; every action reports success or failure through it. */
export function NotifyProvider({ children }: { children: ReactNode }): React.JSX.Element {
  const toasterId = useId('toaster')
  const { dispatchToast } = useToastController(toasterId)
  const show = useCallback(
    (intent: ToastIntent, title: string, body?: string) =>
      dispatchToast(
        <Toast data-testid={`toast-${intent}`}>
          <ToastTitle>{title}</ToastTitle>
          {body && <ToastBody>{body}</ToastBody>}
        </Toast>,
        { intent, timeout: intent === 'error' ? 8000 : 3000 },
      ),
    [dispatchToast],
  )
  const notify = useMemo<Notify>(
    () => ({
      error: (title, error) => show('error', title, errorMessage(error)),
      info: (message, intent = 'info') => show(intent, message),
      undoable: (message, undo) =>
        dispatchToast(
          <Toast data-testid="toast-undo">
            <ToastTitle
              action={
                <ToastTrigger>
                  <Link onClick={undo}>Undo</Link>
                </ToastTrigger>
              }
            >
              {message}
            </ToastTitle>
          </Toast>,
          { intent: 'success', timeout: 8000 },
        ),
    }),
    [show, dispatchToast],
  )
  return (
    <NotifyContext.Provider value={notify}>
      {children}
      <Toaster toasterId={toasterId} position="bottom-end" pauseOnHover pauseOnWindowBlur />
    </NotifyContext.Provider>
  )
}

export function useNotify(): Notify {
  const notify = useContext(NotifyContext)
  if (!notify) throw new Error('useNotify() needs a <NotifyProvider> above it')
  return notify
}
