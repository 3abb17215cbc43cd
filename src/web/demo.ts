import type { Core } from '../core/create-core'
import { missingPrerequisites } from '../lab/prerequisites'
import { corpusForLab } from '../lab/corpus'
import { startLab, type Lab } from '../lab/lab'
import { labImapAccount, labPop3Account } from '../lab/lab-accounts'

export interface Demo {
  lab: Lab
  stop(): Promise<void>
}

const DEMO_MESSAGES = 300

function welcome(to: string, kind: 'IMAP' | 'POP3'): string {
  return [
    'From: Harbor Mail <hello@harbor.example>',
    `To: ${to}`,
    `Subject: Welcome to the Harbor Mail demo (${kind})`,
    `Date: ${new Date().toUTCString()}`,
    `Message-ID: <welcome-${kind.toLowerCase()}-${Date.now()}@harbor.example>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    `This ${kind} account lives on a private mail server (Dovecot and Postfix) that the demo started on`,
    'this machine, on 127.0.0.1 only. Everything you do here is real: read, flag, move and delete mail,',
    'and the server sees it. The server and its mail are deleted when you stop the app.',
    '',
  ].join('\r\n')
}

/**
 * The demo a newcomer gets when no account is configured: a private mail lab with one IMAP and one POP3
 * mailbox full of generated mail, added to core as two accounts that trust the lab's own CA. Needs the
 * lab's Debian packages; says which are missing otherwise.
 */
export async function startDemo(core: Core, log: (line: string) => void): Promise<Demo | undefined> {
  const missing = missingPrerequisites('lab')
  if (missing.length > 0) {
    log(
      `The demo mailbox needs a local mail server. Install: ${[...new Set(missing.map((m) => m.pkg))].join(' ')} ` +
        '(Debian/Ubuntu), then start again. Until then, add your own account in the app.',
    )
    return undefined
  }
  log('Starting the demo mail server and filling two mailboxes …')
  const lab = await startLab()
  try {
    const start = new Date(Date.now() - 120 * 86_400_000)
    const imapUser = lab.user('alice')
    const popUser = lab.user('bob')
    await lab.loadMaildir(
      'alice',
      'INBOX',
      corpusForLab({ count: DEMO_MESSAGES, seed: 11, start, spanDays: 120, domain: lab.domain }),
    )
    await lab.loadMaildir(
      'bob',
      'INBOX',
      corpusForLab({ count: 60, seed: 12, start, spanDays: 120, domain: lab.domain, size: 'small' }),
    )
    await lab.deliver('alice', welcome(imapUser.address, 'IMAP'))
    await lab.deliver('bob', welcome(popUser.address, 'POP3'))
    const imap = labImapAccount(lab, 'alice', {
      account: { name: 'Demo IMAP', bodyPolicy: { kind: 'recent-days', days: 30 } },
    })
    await core.accounts.add(imap.account, imap.secrets)
    const pop = labPop3Account(lab, 'bob', { account: { name: 'Demo POP3' } })
    await core.accounts.add(pop.account, pop.secrets)
  } catch (error) {
    await lab.stop()
    throw error
  }
  return { lab, stop: () => lab.stop() }
}
