import { contract, type EventName, type MethodName } from '../../../shared/contract'
import { MailError, type MailErrorData } from '../../../shared/errors'
import { RpcClient } from '../../../shared/rpc/client'
import { fromDomPort } from '../../../shared/rpc/message-port-transport'
import type { RpcTransport } from '../../../shared/rpc/transport'
import { fromWebSocket } from '../../../shared/rpc/websocket-transport'
import { openMailStore, type MailStore } from '../store/mail-db'
import { compactNow } from '../store/bodies/compact-bodies'
import type { WorkerCommand } from './commands'
import { SyncEngine } from './engine/sync-engine'
import { ComposeWorker, isComposeCommand } from './outbox/compose-worker'
import type { CoreEndpoint, FromWorker, ToWorker } from './worker-protocol'
import { claimWriterRole } from './writer-role'
import { runLocalCommand } from './pop3/local-actions'
import { acceptResetStore, dismissStoreReset } from './pop3/store-reset-record'
import { isArchiveCommand, runArchiveCommand } from './archive/archive-commands'
import { errorDataOf } from './engine/error-data'

/**
 * The sync worker: the renderer's single link to the core and the single writer of the store. Everything
 * network-shaped happens here, off the UI thread.
 */

// The web tsconfig uses the DOM lib; inside this module `self` is the worker scope, typed as much as we use.
declare const self: {
  postMessage(msg: FromWorker): void
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null
  navigator: { locks: LockManager }
}

/** Must match src/web/auth.ts; the token travels as a subprotocol because browsers can't set WS headers. */
const RPC_SUBPROTOCOL = 'harbor-rpc.v1'

let client: RpcClient | undefined
let isWriter = false
let engine: SyncEngine | undefined
let store: Promise<MailStore> | undefined
let compose: ComposeWorker | undefined
const inFlight = new Map<number, AbortController>()
const runningCommands = new Map<number, AbortController>()

/** True while an engine is being built: the writer lock and core's hello can both ask at once. */
let startingEngine = false

/**
 * Only the elected writer, once it reaches core, runs the sync engine; readers just relay calls. Exactly one
 * engine (and one outbox) per worker: two would both send a queued message, and deliver it twice.
 */
async function startEngineIfReady(): Promise<void> {
  if (!isWriter || !client || engine || startingEngine) return
  startingEngine = true
  const rpc = client
  try {
    store ??= openMailStore()
    const opened = await store
    // The connection closed while the store opened: whoever connects next starts the engine.
    if (client !== rpc) return
    const started = new SyncEngine(opened, rpc, true, (error) => post({ type: 'store-full', error }))
    engine = started
    // Compose (issue 7): the outbox and drafts run beside the engine; replies get \Answered through it.
    compose = new ComposeWorker(opened, rpc, {
      flagSource: (messageId, flag) =>
        started.act({ kind: 'set-flags', messageIds: [messageId], add: [flag], remove: [] }),
    })
    void compose.start().catch(() => undefined)
    void started.start().catch(() => undefined) // outcomes are recorded per account in the store
  } finally {
    startingEngine = false
    if (!engine && client && client !== rpc) void startEngineIfReady()
  }
}

function post(msg: FromWorker): void {
  self.postMessage(msg)
}

function toErrorData(error: unknown): MailErrorData {
  if (error instanceof MailError) return error.toJSON()
  return { code: 'INTERNAL', message: 'The connection to the mail engine failed unexpectedly.' }
}

function openTransport(endpoint: CoreEndpoint): RpcTransport {
  if (endpoint.kind === 'port') return fromDomPort(endpoint.port)
  return fromWebSocket(new WebSocket(endpoint.url, [RPC_SUBPROTOCOL, `token.${endpoint.token}`]))
}

async function connect(endpoint: CoreEndpoint): Promise<void> {
  post({ type: 'core-state', state: 'connecting' })
  const transport = openTransport(endpoint)
  const rpc = new RpcClient(transport)
  client = rpc
  for (const name of Object.keys(contract.events) as EventName[]) {
    rpc.on(name, (data) => post({ type: 'core-event', name, data }))
  }
  transport.onClose(() => {
    if (client === rpc) client = undefined
    void engine?.stop() // its passes end on their own; the store stays open for the next engine
    engine = undefined
    compose?.stop()
    compose = undefined
    post({
      type: 'core-state',
      state: 'disconnected',
      error: {
        code: 'TRANSPORT_CLOSED',
        message:
          endpoint.kind === 'websocket'
            ? 'The connection to the mail engine closed. If the web host was stopped, start it again and reload.'
            : 'The connection to the mail engine closed. Restart the app.',
      },
    })
  })
  try {
    const info = await rpc.call('app.hello', { client: 'sync-worker' }, { timeoutMs: 15_000 })
    post({ type: 'core-state', state: 'connected', info })
    void startEngineIfReady()
  } catch (error) {
    post({ type: 'core-state', state: 'disconnected', error: toErrorData(error) })
  }
}

async function relay(id: number, method: MethodName, params: unknown): Promise<void> {
  if (!client) {
    post({
      type: 'core-result',
      id,
      ok: false,
      error: { code: 'TRANSPORT_CLOSED', message: 'Not connected to the mail engine.' },
    })
    return
  }
  const controller = new AbortController()
  inFlight.set(id, controller)
  try {
    // The page's params are untrusted here too: RpcClient validates them against the contract before sending.
    const result: unknown = await client.call(method, params as never, { signal: controller.signal })
    post({ type: 'core-result', id, ok: true, result })
  } catch (error) {
    post({ type: 'core-result', id, ok: false, error: toErrorData(error) })
  } finally {
    inFlight.delete(id)
  }
}

async function execute(
  command: WorkerCommand,
  onProgress: (progress: unknown) => void,
  signal: AbortSignal,
): Promise<unknown> {
  if (!engine) {
    throw new MailError(
      'TRANSPORT_CLOSED',
      isWriter ? 'Not connected to the mail engine.' : 'Another window is syncing; use that window for this.',
    )
  }
  if (isArchiveCommand(command))
    return runArchiveCommand(await (store ??= openMailStore()), command, onProgress, signal)
  // A copy of server mail uploads its bytes (APPEND): those not stored yet are downloaded first.
  if (command.kind === 'copy') await engine.loadBodies(command.messageIds)
  // Mail in local folders (all POP3 mail) has no server copy to update: applied to the store directly.
  if (store && client) {
    const local = await runLocalCommand(await store, client, command)
    if (local.handled) {
      for (const accountId of local.replay ?? []) void engine.syncAccount(accountId)
      return local.result
    }
  }
  if (isComposeCommand(command)) {
    if (!compose) throw new MailError('TRANSPORT_CLOSED', 'Not connected to the mail engine.')
    return compose.handle(command)
  }
  switch (command.kind) {
    case 'sync-now':
      void compose?.outbox.kick() // Send/Receive sends what waits in the outbox too
      return command.accountId === undefined ? engine.syncAll() : engine.syncAccount(command.accountId)
    case 'load-body':
      return engine.loadBody(command.messageId)
    case 'forget-account':
      return engine.forgetAccount(command.accountId)
    case 'accept-store': {
      if (!store || !client) throw new MailError('TRANSPORT_CLOSED', 'Not connected to the mail engine.')
      await acceptResetStore(await store, client, command.accountId)
      void engine.syncAccount(command.accountId)
      return null
    }
    case 'dismiss-store-reset':
      return dismissStoreReset(await (store ??= openMailStore()), command.accountId)
    case 'compact-bodies':
      return compactNow(await (store ??= openMailStore()), signal)
    case 'copy':
      throw new MailError('INVALID_PARAMS', 'These messages cannot be copied there.')
    case 'set-flags':
    case 'move':
    case 'delete':
    case 'archive':
    case 'empty-folder':
      return engine.act(command)
    case 'create-folder':
    case 'rename-folder':
    case 'delete-folder':
      return engine.folderAction(command)
    default: {
      const unknown: never = command
      throw new MailError('INTERNAL', 'That command is not available in this build.', JSON.stringify(unknown))
    }
  }
}

async function runCommand(id: number, command: WorkerCommand): Promise<void> {
  const controller = new AbortController()
  runningCommands.set(id, controller)
  try {
    const onProgress = (progress: unknown): void => post({ type: 'command-progress', id, progress })
    const result = await execute(command, onProgress, controller.signal)
    post({ type: 'command-result', id, ok: true, result: result ?? null })
  } catch (error) {
    post({
      type: 'command-result',
      id,
      ok: false,
      error: errorDataOf(
        error,
        'That did not work because of an unexpected error. Try again; if it keeps failing, restart the app.',
      ),
    })
  } finally {
    runningCommands.delete(id)
  }
}

post({ type: 'role', role: 'reader' })
claimWriterRole(self.navigator.locks, () => {
  isWriter = true
  post({ type: 'role', role: 'writer' })
  void startEngineIfReady()
})

self.onmessage = (event: MessageEvent<ToWorker>) => {
  const msg = event.data
  if (msg.type === 'connect') void connect(msg.endpoint)
  else if (msg.type === 'core-call') void relay(msg.id, msg.method, msg.params)
  else if (msg.type === 'core-cancel') inFlight.get(msg.id)?.abort()
  else if (msg.type === 'command') void runCommand(msg.id, msg.command)
  else if (msg.type === 'command-cancel') runningCommands.get(msg.id)?.abort()
}
