import type { AccountConfig } from '../../../shared/model/account'
import type { AccountRow } from '../store/rows'

/** What the panes need to draw an account; the store's mirror of core's list holds these fields too. */
export type AccountSummary = Pick<AccountConfig, 'id' | 'kind' | 'name' | 'email'>

/**
 * The accounts to draw, or undefined while that is not known yet (the shell shows a spinner, never a
 * welcome page that may be wrong). Core's list wins as soon as it answered. Until then the store's copy
 * (written by the sync engine each time core listed them) draws the panes at once, which is also what an
 * offline start shows. An empty copy proves nothing while core may still answer (a first start has none),
 * so it only counts once core is known to be unreachable.
 */
export function accountsToShow(
  core: readonly AccountConfig[] | undefined,
  cached: readonly AccountRow[] | undefined,
  coreUnreachable: boolean,
): readonly AccountSummary[] | undefined {
  if (core) return core
  if (cached === undefined) return undefined
  if (cached.length > 0) return [...cached].sort((a, b) => a.position - b.position)
  return coreUnreachable ? [] : undefined
}
