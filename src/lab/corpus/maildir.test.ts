import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { generateCorpus } from './generate'
import { writeMaildir } from './maildir'

let dir: string | undefined

afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true })
  dir = undefined
})

describe('writeMaildir', () => {
  it('writes one uniquely named file per message into cur/ with flags, sizes and mtimes', () => {
    dir = mkdtempSync(join(tmpdir(), 'corpus-maildir-'))
    const metas = [...generateCorpus({ count: 120, seed: 6, size: 'small' })]
    const result = writeMaildir(dir, metas, 6)
    expect(result.count).toBe(120)
    expect(readdirSync(join(dir, 'new'))).toEqual([])
    const files = readdirSync(join(dir, 'cur'))
    expect(files).toHaveLength(120)
    const infos = new Set(files.map((f) => f.split(':2,')[1]))
    expect(infos).toContain('S')
    expect(infos).toContain('')
    for (const m of metas.slice(0, 10)) {
      const name = files.find((f) => f.includes(`.M${m.meta.index}P6.`))!
      expect(name).toMatch(new RegExp(`,S=${m.raw.length}:2,${m.meta.maildirFlags}$`))
      expect(readFileSync(join(dir, 'cur', name))).toEqual(m.raw)
      expect(statSync(join(dir, 'cur', name)).mtime.getTime()).toBe(m.meta.date.getTime())
    }
  })
})
