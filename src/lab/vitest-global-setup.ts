import type { TestProject } from 'vitest/node'
import { startLab } from './lab'
import { ensurePrerequisites } from './prerequisites'
import type { LabInfo } from './types'

declare module 'vitest' {
  export interface ProvidedContext {
    /** The shared lab of the 'lab' project; `attachLab(inject('lab'))` gives its tools. */
    lab: LabInfo
  }
}

/**
 * One lab for the whole 'lab' project run (files run one after another). Installs missing servers on
 * Debian/Ubuntu as root, otherwise fails naming the packages: the lab tests never skip silently.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  await ensurePrerequisites('lab', (line) => console.log(`[mail lab] ${line}`))
  const lab = await startLab()
  console.log(
    `[mail lab] started in ${lab.startMs} ms at ${lab.dir} (ports ${lab.ports.imap}-${lab.ports.submissions})`,
  )
  project.provide('lab', lab.info())
  return () => lab.stop()
}
