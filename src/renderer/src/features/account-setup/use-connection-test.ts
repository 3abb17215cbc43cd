import { useCallback, useState } from 'react'
import { errorMessage } from '../../components/notify'
import { useWorkerLink } from '../../sync/worker-link-context'
import { toServerSettings, type AccountForm } from './account-form'
import type { TestState } from './ServerFields'

export interface ConnectionTests {
  incoming: TestState
  smtp: TestState
  run(form: AccountForm): Promise<boolean>
  reset(): void
}

const IDLE: TestState = { status: 'idle' }

/**
 * Runs `accounts.test` for the incoming server and SMTP side by side. Core's error message is shown as is:
 * it is written for users ("The password was not accepted…", "The server's certificate is not trusted…").
 */
export function useConnectionTests(): ConnectionTests {
  const link = useWorkerLink()
  const [incoming, setIncoming] = useState<TestState>(IDLE)
  const [smtp, setSmtp] = useState<TestState>(IDLE)

  const run = useCallback(
    async (form: AccountForm): Promise<boolean> => {
      const trustedCaPem = form.trustedCaPem.trim() || null
      const one = async (
        protocol: 'imap' | 'pop3' | 'smtp',
        server: AccountForm['incoming'],
        password: string,
        set: (s: TestState) => void,
      ): Promise<boolean> => {
        set({ status: 'testing' })
        try {
          await link.callCore('accounts.test', {
            protocol,
            server: toServerSettings(server),
            password,
            trustedCaPem,
          })
          set({ status: 'ok' })
          return true
        } catch (error) {
          set({ status: 'failed', message: errorMessage(error) })
          return false
        }
      }
      const smtpPassword = form.smtpSamePassword ? form.password : form.smtpPassword
      const results = await Promise.all([
        one(form.kind, form.incoming, form.password, setIncoming),
        one('smtp', form.smtp, smtpPassword, setSmtp),
      ])
      return results.every(Boolean)
    },
    [link],
  )
  const reset = useCallback(() => {
    setIncoming(IDLE)
    setSmtp(IDLE)
  }, [])
  return { incoming, smtp, run, reset }
}
