import { describe, expect, it } from 'vitest'
import { referencedContentIds, withoutUnusedInline } from './inline-images'

describe('inline pictures of a draft', () => {
  it('finds cid: references in any quoting, percent-decoded', () => {
    const html =
      '<p><img src="cid:one@x"> <img alt="" src=\'cid:two%40y\'> <img src=cid:three@z> <img src="https://a/b.png"></p>'
    expect([...referencedContentIds(html)]).toEqual(['one@x', 'two@y', 'three@z'])
  })

  it('keeps files and the pictures still shown; drops pictures deleted from the text', () => {
    const attachments = [{ id: 'a', contentId: 'kept@x' }, { id: 'b', contentId: 'deleted@x' }, { id: 'c' }]
    expect(withoutUnusedInline('<img src="cid:kept@x">', attachments).map((a) => a.id)).toEqual(['a', 'c'])
  })
})
