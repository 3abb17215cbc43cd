import { useState } from 'react'
import {
  Button,
  Card,
  CardHeader,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  makeStyles,
  tokens,
  Text,
  Title2,
} from '@fluentui/react-components'
import { PersonAddRegular } from '@fluentui/react-icons'
import { useAccountDialogs } from '../features/account-setup/account-dialogs'
import type { CoreLinkState } from '../sync/worker-link'
import { useWorkerLink } from '../sync/worker-link-context'

const useStyles = makeStyles({
  main: {
    gridArea: 'main',
    padding: tokens.spacingHorizontalXXL,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalL,
    overflowY: 'auto',
    maxWidth: '760px',
  },
  row: { display: 'flex', gap: tokens.spacingHorizontalM, alignItems: 'center' },
})

interface Props {
  link: CoreLinkState
}

export function WelcomePane({ link }: Props): React.JSX.Element {
  const styles = useStyles()
  const worker = useWorkerLink()
  const dialogs = useAccountDialogs()
  const [result, setResult] = useState<string>()
  const [failure, setFailure] = useState<string>()

  const check = (): void => {
    setFailure(undefined)
    const text = `check ${Date.now()}`
    const started = performance.now()
    worker
      .callCore('app.echo', { text })
      .then((r) => {
        if (r.text !== text) throw new Error('The mail engine answered with something else than was sent.')
        setResult(`The mail engine answered in ${(performance.now() - started).toFixed(1)} ms.`)
      })
      .catch((error: unknown) => setFailure(error instanceof Error ? error.message : String(error)))
  }

  return (
    <main className={styles.main}>
      <Title2 as="h1">Welcome to Harbor Mail</Title2>
      <Text>No mail account is configured yet. Add one to start: IMAP or POP3, any provider.</Text>
      <div className={styles.row}>
        <Button
          appearance="primary"
          size="large"
          icon={<PersonAddRegular />}
          onClick={dialogs.addAccount}
          disabled={link.state !== 'connected'}
        >
          Add account
        </Button>
      </div>
      {link.error && (
        <MessageBar intent="error" data-testid="core-error">
          <MessageBarBody>
            <MessageBarTitle>Cannot reach the mail engine</MessageBarTitle>
            {link.error.message}
          </MessageBarBody>
        </MessageBar>
      )}
      <Card>
        <CardHeader
          header={<Text weight="semibold">Mail engine</Text>}
          description={
            link.info
              ? `Version ${link.info.coreVersion}, protocol ${link.info.protocolVersion}, on ${link.info.platform}`
              : 'Not connected'
          }
        />
        <div className={styles.row}>
          <Button onClick={check} disabled={link.state !== 'connected'}>
            Check connection
          </Button>
          {result && <Text data-testid="ping-result">{result}</Text>}
          {failure && (
            <Text data-testid="ping-error" style={{ color: tokens.colorPaletteRedForeground1 }}>
              {failure}
            </Text>
          )}
        </div>
      </Card>
    </main>
  )
}
