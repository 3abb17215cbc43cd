import { describe, expect, it } from 'vitest'
import { stripRemoteCss } from './css-remote'

describe('stripRemoteCss', () => {
  it('removes url(), @import strings, image-set strings and escaped url(', () => {
    const css = `@import "http://x.example/a.css"; @import url(//x.example/b.css);
      body { background-image: image-set("http://x.example/c.png" 1x); }
      .e { background: \\75 rl(http://x.example/d); }
      @font-face { font-family: F; src: url('https://x.example/f.woff2'); }`
    const { css: out, count } = stripRemoteCss(css)
    expect(out).not.toMatch(/x\.example/)
    expect(count).toBe(5)
  })

  it('leaves local CSS as it was', () => {
    const css = 'p { color: #123; background: url(data:image/png;base64,AAAA); content: "\\201C" }'
    expect(stripRemoteCss(css)).toEqual({ css, count: 0 })
  })

  it('never writes back a "<" that its decoding produced (it could end the <style> element in the srcdoc)', () => {
    const css =
      '.a { background: url(http://x.example/y) } .b::after { content: "\\3c /style\\3e \\3c script\\3e" }'
    const { css: out, count } = stripRemoteCss(css)
    expect(count).toBe(1)
    expect(out).not.toContain('<')
    expect(out).toContain('\\3c /style>')
  })
})
