import { join } from 'node:path'
import { errorWithLog, exec } from './exec'
import { readPidFile, runToLog, stopByPid, waitFor, waitGreetings, waitPorts } from './daemon'

export interface PostfixInstance {
  configDir: string
  queueDir: string
  log: string
  /** The STARTTLS submission port, probed for its 220 greeting. */
  plainPort: number
  tlsPort: number
}

export function postfixMasterPid(p: Pick<PostfixInstance, 'queueDir'>): Promise<number | undefined> {
  return readPidFile(join(p.queueDir, 'pid', 'master.pid'))
}

let daemonDir: Promise<string> | undefined

/**
 * Starts the instance's master directly with `-w` (wait for its init status). `postfix start` would do
 * the same via postfix-script, but spends ~1.5 s on integrity checks and waits, a third of the lab's start
 * budget; the queue layout those checks guard is created by prepareQueue.
 */
export async function startPostfix(p: PostfixInstance): Promise<void> {
  // -c: with Debian's "No configuration" there is no /etc/postfix/main.cf for postconf to read.
  daemonDir ??= exec('postconf', ['-c', p.configDir, '-h', 'daemon_directory']).then((r) => r.stdout.trim())
  const code = await runToLog(join(await daemonDir, 'master'), ['-c', p.configDir, '-w'], p.log)
  if (code !== 0) {
    // `postfix check` prints its reason only to a terminal; script(1) gives it one.
    const why = await exec('script', ['-qc', `postfix -c ${p.configDir} check`, '/dev/null'], {
      check: false,
    })
    throw await errorWithLog(
      `postfix master -c ${p.configDir} -w exited with ${code}; check says: ${why.stdout.trim()}`,
      p.log,
    )
  }
  try {
    await waitFor(() => postfixMasterPid(p), 10_000, `${p.queueDir}/pid/master.pid`)
    await waitGreetings([[p.plainPort, '220 ']], 10_000)
    await waitPorts([p.tlsPort], 10_000)
  } catch (e) {
    throw await errorWithLog('Postfix did not come up', p.log, e)
  }
}

export async function stopPostfix(p: Pick<PostfixInstance, 'configDir' | 'queueDir'>): Promise<void> {
  const pid = await postfixMasterPid(p)
  await stopByPid(pid, () => exec('postfix', ['-c', p.configDir, 'stop']))
}
