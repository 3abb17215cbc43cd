import type { FetchMessageObject, MessageStructureObject } from 'imapflow'
import { describe, expect, it } from 'vitest'
import { HEADER_LIMITS } from '../../shared/mail/header-limits'
import { hasAttachments, MAX_REFERENCES, snippetPartOf, toHeaderRecord } from './header-record'

const leaf = (type: string, part: string, disposition?: string): MessageStructureObject =>
  ({ type, part, ...(disposition ? { disposition } : {}) }) as MessageStructureObject

/** Counts how many nodes of a structure a walk reads (each read of a node's `type`): work, not time. */
function counting<T extends MessageStructureObject>(node: T, seen: { nodes: number }): T {
  const type = node.type
  Object.defineProperty(node, 'type', {
    get() {
      seen.nodes++
      return type
    },
  })
  return node
}

/** `levels` of multipart/mixed around one text part and one attachment. */
function nested(levels: number): MessageStructureObject {
  let node: MessageStructureObject = {
    type: 'multipart/mixed',
    childNodes: [leaf('text/plain', 'x'), leaf('application/pdf', 'y', 'attachment')],
  } as MessageStructureObject
  for (let i = 0; i < levels; i++)
    node = { type: 'multipart/mixed', childNodes: [node] } as MessageStructureObject
  return node
}

const message = (over: Partial<FetchMessageObject>): FetchMessageObject =>
  ({ seq: 1, uid: 7, flags: new Set(['\\Seen']), size: 100, ...over }) as FetchMessageObject

describe('IMAP header records of hostile mail (core)', () => {
  it('a 100,000-level BODYSTRUCTURE neither overflows the stack nor is walked past the depth limit', () => {
    const deep = nested(100_000)
    const seen = { nodes: 0 }
    for (let node: MessageStructureObject | undefined = deep; node; node = node.childNodes?.[0]) {
      counting(node, seen)
    }
    expect(hasAttachments(deep)).toBe(false)
    expect(snippetPartOf(deep)).toBeNull()
    // Each walk stops at the depth limit instead of descending 100,000 levels.
    expect(seen.nodes).toBeLessThanOrEqual(4 * (HEADER_LIMITS.structureDepth + 1))
    // Within the limit the same tree is read normally.
    expect(hasAttachments(nested(HEADER_LIMITS.structureDepth - 2))).toBe(true)
    expect(snippetPartOf(nested(3))?.part).toBe('x')
  })

  it('100,000 sibling parts: at most structureNodes are walked, the first text part is still found', () => {
    const seen = { nodes: 0 }
    const wide = {
      type: 'multipart/mixed',
      childNodes: [
        leaf('text/plain', '1'),
        ...Array.from({ length: 100_000 }, (_, i) => counting(leaf('image/png', `${i + 2}`), seen)),
      ],
    } as MessageStructureObject
    expect(snippetPartOf(wide)?.part).toBe('1')
    expect(hasAttachments(wide)).toBe(true)
    // Found early: the 100,000 siblings after it are not read.
    expect(seen.nodes).toBeLessThanOrEqual(2 * HEADER_LIMITS.structureNodes)
    // Nothing to find: the walk still stops at the node limit (a node's type may be read twice).
    const barrenSeen = { nodes: 0 }
    const barren = {
      type: 'multipart/mixed',
      childNodes: Array.from({ length: 100_000 }, (_, i) =>
        counting(leaf('multipart/related', `${i + 1}`), barrenSeen),
      ),
    } as MessageStructureObject
    expect(snippetPartOf(barren)).toBeNull()
    expect(barrenSeen.nodes).toBeGreaterThan(0)
    expect(barrenSeen.nodes).toBeLessThanOrEqual(2 * HEADER_LIMITS.structureNodes)
  })

  it('a megabyte subject, 10,000 recipients, 20,000 References and a 5,000-character Message-ID are cut to the row limits', () => {
    const many = Array.from({ length: 10_000 }, (_, i) => ({
      name: 'N'.repeat(1000),
      address: `r${i}@x.test`,
    }))
    const refs = Array.from({ length: 20_000 }, (_, i) => `<ref${i}@x.test>`).join(' ')
    const record = toHeaderRecord(
      message({
        envelope: {
          subject: '😀'.repeat(512 * 1024),
          to: many,
          from: [{ name: 'a', address: `${'a'.repeat(5000)}@x.test` }],
          messageId: `<${'m'.repeat(5000)}@x.test>`,
          inReplyTo: '<parent@x.test>',
        },
        headers: Buffer.from(`References: ${refs}\r\nList-Id: <list.x.test>\r\n`),
      }),
    )
    expect(record.subject.length).toBeLessThanOrEqual(HEADER_LIMITS.subjectChars)
    expect(record.subject.endsWith('…')).toBe(true)
    // Cut between code points: no lone surrogate.
    expect(record.subject).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/)
    expect(record.to).toHaveLength(HEADER_LIMITS.addressesPerField)
    expect(record.to[0]!.name.length).toBeLessThanOrEqual(HEADER_LIMITS.nameChars)
    expect(record.from[0]!.address.length).toBeLessThanOrEqual(HEADER_LIMITS.addressChars)
    expect(record.messageId).toBeNull()
    expect(record.inReplyTo).toBe('<parent@x.test>')
    expect(record.references).toHaveLength(MAX_REFERENCES)
    expect(record.references[0]).toBe('<ref0@x.test>')
    expect(record.listId).toBe('list.x.test')
  })

  it('a record that cannot be read still becomes a row: UID, flags and size, empty fields', () => {
    const broken = message({ size: 42 })
    Object.defineProperty(broken, 'envelope', {
      get() {
        throw new Error('unparsable envelope')
      },
    })
    const record = toHeaderRecord(broken)
    expect(record).toMatchObject({
      uid: 7,
      flags: ['\\Seen'],
      size: 42,
      subject: '',
      from: [],
      hasAttachments: false,
    })
  })
})
