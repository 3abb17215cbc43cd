import { inject } from 'vitest'
import { attachLab, type LabTools } from '../lab'

/** Tools for the lab the 'lab' project's global setup started. Do not kill or stop its servers. */
export function sharedLab(): LabTools {
  return attachLab(inject('lab'))
}
