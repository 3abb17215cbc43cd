import type { DBCoreTable } from 'dexie'
import type { MailDb } from './mail-db'

/** What went through one connection to and from `messageChunks` (see `watchChunkIo`). */
export interface ChunkIo {
  /** Keys of the chunk records read; a scan of the table records 'scan'. */
  reads: unknown[]
  /** Chunk records written (put). */
  writes: number
}

/**
 * Watches the message chunks `db` reads and writes, for tests of what an operation costs. Call it before the
 * connection opens (Dexie builds its middleware stack when it opens): on an open one, close it first and open
 * it again after.
 */
export function watchChunkIo(db: MailDb): ChunkIo {
  const io: ChunkIo = { reads: [], writes: 0 }
  db.use({
    stack: 'dbcore',
    name: 'watch-chunk-io',
    create: (down) => ({
      ...down,
      table: (name: string): DBCoreTable => {
        const table = down.table(name)
        if (name !== 'messageChunks') return table
        return {
          ...table,
          get: (req) => {
            io.reads.push(req.key)
            return table.get(req)
          },
          getMany: (req) => {
            io.reads.push(...req.keys)
            return table.getMany(req)
          },
          query: (req) => {
            io.reads.push('scan')
            return table.query(req)
          },
          openCursor: (req) => {
            io.reads.push('scan')
            return table.openCursor(req)
          },
          mutate: (req) => {
            if (req.type === 'put') io.writes += req.values.length
            return table.mutate(req)
          },
        }
      },
    }),
  })
  return io
}
