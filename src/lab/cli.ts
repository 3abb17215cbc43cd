import { startLab, type Lab } from './lab'
import { ensurePrerequisites } from './prerequisites'
import { destroyRun, ownerAlive, readRecords, reapStaleLabs } from './run-registry'

const USAGE = `Usage: npm run lab -- <command>
  start [--base-port N]   start a lab in the foreground, print its description as JSON, stop on Ctrl-C
  status                  list labs under the runs dir with their owner and whether it is alive
  stop [id]               stop labs (all, or one id) including ones whose owner still runs
  reap                    stop only labs whose owner process died
  ensure [--lab-only]     install missing servers/tools (Debian/Ubuntu as root) or name what to install`

function argValue(args: readonly string[], name: string): string | undefined {
  const i = args.indexOf(name)
  return i >= 0 ? args[i + 1] : undefined
}

async function start(args: readonly string[]): Promise<void> {
  const base = argValue(args, '--base-port')
  const lab: Lab = await startLab(base === undefined ? {} : { basePort: Number(base) })
  const { id, dir, domain, host, ports, users, caPem, paths } = lab.info()
  console.log(
    JSON.stringify({ id, dir, domain, host, ports, users, caPem, paths, startMs: lab.startMs }, null, 2),
  )
  let stopping = false
  const stop = (signal: string): void => {
    if (stopping) return
    stopping = true
    console.error(`[mail lab] ${signal}: stopping`)
    lab.stop().then(
      () => process.exit(0),
      (e: unknown) => {
        console.error(e)
        process.exit(1)
      },
    )
  }
  process.on('SIGINT', () => stop('SIGINT'))
  process.on('SIGTERM', () => stop('SIGTERM'))
  // Keep the event loop alive until a signal arrives; the servers run as daemons.
  setInterval(() => undefined, 1 << 30)
}

async function status(): Promise<void> {
  const rows = (await readRecords()).map(({ id, record, ageMs }) => ({
    id,
    ownerPid: record?.ownerPid ?? null,
    ownerAlive: record ? ownerAlive(record) : false,
    dir: record?.labDir ?? null,
    ageSeconds: Math.round(ageMs / 1000),
  }))
  console.log(JSON.stringify(rows, null, 2))
}

async function stopLabs(id: string | undefined): Promise<void> {
  const records = (await readRecords()).filter((r) => id === undefined || r.id === id)
  if (id !== undefined && records.length === 0) throw new Error(`No lab with id ${id}`)
  for (const { record } of records) if (record) await destroyRun(record)
  console.log(JSON.stringify({ stopped: records.map((r) => r.id) }))
}

async function main(argv: readonly string[]): Promise<void> {
  const [command, ...args] = argv
  switch (command) {
    case 'start':
      return start(args)
    case 'status':
      return status()
    case 'stop':
      return stopLabs(args[0])
    case 'reap':
      console.log(JSON.stringify({ reaped: await reapStaleLabs() }))
      return
    case 'ensure':
      await ensurePrerequisites(args.includes('--lab-only') ? 'lab' : 'all', (l) => console.error(l))
      console.log('mail lab prerequisites: ok')
      return
    default:
      console.error(USAGE)
      process.exitCode = command === undefined || command === 'help' || command === '--help' ? 0 : 2
  }
}

main(process.argv.slice(2)).catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e)
  process.exitCode = 1
})
