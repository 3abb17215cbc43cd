import { MAIL_DB_NAME, SCHEMA_VERSIONS } from './mail-db'

/** What of the environment's IndexedDB this needs (`databases()` lists names and versions without opening). */
interface DatabaseLister {
  databases?: () => Promise<{ name?: string; version?: number }[]>
}

/**
 * True when the store exists at an older schema version, so opening it runs the upgrade first: moving a big
 * mailbox into a new layout (version 10: 100,000 messages take about 10 s in Chromium,
 * bench/store-upgrade-cost.ts) must say why the window waits. Dexie gives IndexedDB ten times its version.
 */
export async function storeUpgradePending(
  idb: DatabaseLister | undefined = (globalThis as { indexedDB?: DatabaseLister }).indexedDB,
  name = MAIL_DB_NAME,
): Promise<boolean> {
  if (!idb?.databases) return false
  const newest = SCHEMA_VERSIONS[SCHEMA_VERSIONS.length - 1]!.version * 10
  const found = (await idb.databases()).find((d) => d.name === name)
  return found?.version !== undefined && found.version < newest
}
