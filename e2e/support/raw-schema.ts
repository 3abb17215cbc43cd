/**
 * A schema version of the store (store/mail-db.ts SCHEMA_VERSIONS) as raw IndexedDB object stores, for tests
 * and benches that write a store as an older version of the app left it. Dexie creates each store from its
 * schema string ('++id, [a+b], &c, *d'): the first entry is the primary key ('++': auto-increment), each other
 * one an index named by its spec without the prefix ('&' unique, '*' multi-entry, '[a+b]' compound).
 * IndexedDB's version number is Dexie's times ten.
 */
import { SCHEMA_VERSIONS } from '../../src/renderer/src/store/mail-db'

export interface RawStore {
  name: string
  keyPath: string | string[] | null
  autoIncrement: boolean
  indexes: { name: string; keyPath: string | string[]; unique: boolean; multiEntry: boolean }[]
}

const keyPathOf = (spec: string): string | string[] =>
  spec.startsWith('[') ? spec.slice(1, -1).split('+') : spec

/** The object stores of schema version `version`. */
export function rawStores(version: number): RawStore[] {
  const v = SCHEMA_VERSIONS.find((s) => s.version === version)
  if (!v) throw new Error(`no schema version ${version}`)
  return Object.entries(v.stores).flatMap(([name, schema]): RawStore[] => {
    if (schema === null) return []
    const [primary, ...rest] = schema.split(',').map((s) => s.trim())
    const pk = primary!.replace(/^(\+\+|&)/, '')
    return [
      {
        name,
        keyPath: pk === '' ? null : keyPathOf(pk),
        autoIncrement: primary!.startsWith('++'),
        indexes: rest.map((spec) => {
          const bare = spec.replace(/^[&*]/, '')
          return {
            name: bare,
            keyPath: keyPathOf(bare),
            unique: spec.startsWith('&'),
            multiEntry: spec.startsWith('*'),
          }
        }),
      },
    ]
  })
}

/** The IndexedDB version number Dexie gives schema version `version`. */
export const rawVersion = (version: number): number => version * 10
