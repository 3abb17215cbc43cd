import { mkdir } from 'node:fs/promises'
import type { CoreMode } from '../shared/contract'
import { consoleLogger, type RpcLogger } from '../shared/rpc/transport'
import { RpcServer } from './rpc/server'
import type { SecretCipher } from './secrets/secret-cipher'
import { SecretStore } from './secrets/secret-store'
import { AccountRegistry } from './accounts/account-registry'
import { createAccountsHandlers, type ServerProbes } from './services/accounts-service'
import { createAppHandlers } from './services/app-service'
import { createRemoteHandlers } from './services/remote-service'
import { createComposeHandlers } from './services/compose-service'
import { ImapConnections } from './services/imap-connections'
import { createImapHandlers } from './services/imap-service'
import { createDebugHandlers } from './services/debug-service'
import { createPop3Handlers } from './services/pop3-service'
import { Pop3Sessions, POP3_SESSION_IDLE_MS } from './services/pop3-sessions'
import { Pop3Spool } from './pop3/message-spool'
import { createSmtpHandlers, type SmtpServiceOptions } from './services/smtp-service'

export interface CoreOptions {
  /** Where core keeps its files (secrets.json, later caches); created with mode 0700 if missing. */
  dataDir: string
  mode: CoreMode
  /** safeStorage under Electron, `FileKeyCipher` under the web host, anything in tests. */
  secretCipher: SecretCipher
  /** The app's version, reported by `app.hello`. */
  version: string
  logger?: RpcLogger
  /** How `accounts.test` reaches servers; the real protocol clients unless a test replaces them. */
  probes: ServerProbes
  /** SMTP socket timeouts and held-send tickets; tests shorten them. */
  smtp?: SmtpServiceOptions
  /** How long core keeps its copy of POP3 mail it removed from a server (tests shorten it). */
  pop3SpoolGraceMs?: number
}

export interface Core {
  /** Attach each client connection (MessagePort, WebSocket) to it. */
  readonly rpc: RpcServer
  readonly secrets: SecretStore
  readonly accounts: AccountRegistry
  /** Tells clients core is stopping, aborts in-flight calls, closes connections and flushes secrets. */
  dispose(): Promise<void>
}

/**
 * Builds the Electron-free core: the one entry point shared by the Electron main process, the web host and
 * tests. Later services register their handlers here.
 */
export async function createCore(opts: CoreOptions): Promise<Core> {
  await mkdir(opts.dataDir, { recursive: true, mode: 0o700 })
  const logger = opts.logger ?? consoleLogger
  const secrets = new SecretStore(opts.dataDir, opts.secretCipher)
  const accounts = new AccountRegistry(opts.dataDir, secrets)
  const imap = new ImapConnections(accounts)
  const spool = new Pop3Spool(opts.dataDir, opts.pop3SpoolGraceMs, Date.now, (message, fields) =>
    logger.warn(message, fields),
  )
  const pop3 = new Pop3Sessions(POP3_SESSION_IDLE_MS, (sessionId, accountId) => {
    void spool.release(accountId, sessionId).catch(() => undefined)
  })
  // Handlers need `rpc.emit` and `rpc` needs the handlers; the indirection breaks the cycle.
  const emitTick = (data: { n: number }): void => rpc.emit('debug.tick', data)
  const rpc: RpcServer = new RpcServer(
    {
      ...createAppHandlers({ version: opts.version, mode: opts.mode }),
      ...createDebugHandlers({ emitTick }),
      ...createAccountsHandlers({
        registry: accounts,
        probes: opts.probes,
        emitChanged: (ids) => {
          // New settings or a removed account: the next call reconnects with what is saved now.
          for (const id of ids) void imap.forget(id)
          rpc.emit('accounts.changed', { ids })
        },
        onRemoved: async (id) => {
          // Sessions first, so none can write a new copy into the spool being deleted.
          pop3.dropAccount(id)
          await spool.forget(id)
        },
      }),
      ...createImapHandlers(imap),
      ...createPop3Handlers(accounts, pop3, spool),
      ...createSmtpHandlers(accounts, opts.smtp),
      ...createComposeHandlers(imap),
      ...createRemoteHandlers(),
    },
    {
      logger,
      onConnect: (connection) => connection.emit('core.status', { state: 'ready', at: Date.now() }),
      // POP3 sessions die with their connection, without QUIT: a killed worker deletes nothing.
      onDisconnect: (connectionId) => void pop3.dropConnection(connectionId),
    },
  )
  let disposed: Promise<void> | undefined
  return {
    rpc,
    secrets,
    accounts,
    dispose: () => {
      disposed ??= (async () => {
        rpc.emit('core.status', { state: 'stopping', at: Date.now() })
        rpc.close()
        pop3.dropAll()
        await imap.closeAll()
        await secrets.flush()
      })()
      return disposed
    },
  }
}
