import { describe, expect, it } from 'vitest'
import { htmlToText } from './html-to-text'

describe('htmlToText (the generated text/plain alternative)', () => {
  it('turns blocks, breaks and lists into lines', () => {
    expect(
      htmlToText('<p>Hallo <b>Zoë</b>,</p><p>line 1<br>line 2</p><ul><li>one</li><li>two</li></ul>'),
    ).toBe('Hallo Zoë,\n\nline 1\nline 2\n\n• one\n• two')
  })

  it('keeps link targets and decodes entities', () => {
    expect(htmlToText('See <a href="https://x.org/a?b=1&amp;c=2">the docs</a> &amp; more&nbsp;here')).toBe(
      'See the docs <https://x.org/a?b=1&c=2> & more here',
    )
    expect(htmlToText('<a href="https://x.org">https://x.org</a>')).toBe('https://x.org')
  })

  it('quotes blockquotes with "> " per level', () => {
    expect(htmlToText('<p>Reply</p><blockquote><p>old</p><blockquote>older</blockquote></blockquote>')).toBe(
      'Reply\n\n> old\n>\n>> older',
    )
  })
})
