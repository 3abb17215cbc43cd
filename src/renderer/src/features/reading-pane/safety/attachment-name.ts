import {
  hasBidiControls,
  hasHiddenCharacters,
  revealHiddenCharacters,
  stripHiddenCharacters,
} from './display-text'

export interface SafeAttachmentName {
  /** What the list shows and the file is saved as. */
  name: string
  /** The name as the message gave it, hidden characters made visible (for a tooltip). */
  original: string
  /** Opening it runs code (or script in a browser): saving asks first. */
  executable: boolean
  /** Why the name was changed or is risky, in words for the user; empty for an ordinary name. */
  warnings: string[]
}

/**
 * Extensions Windows, macOS or Linux desktops run or hand to a script host on a double click, plus the
 * document types that run script when opened in a browser from disk (html, svg, mht).
 */
const EXECUTABLE = new Set(
  (
    'exe scr com pif bat cmd msi msp mst cpl hta jar js jse vbs vbe wsf wsh ws wsc ps1 psm1 psd1 ps1xml lnk ' +
    'url scf reg inf chm gadget application appref-ms msc dll sys drv ocx iso img vhd vhdx ' +
    'app command sh bash csh ksh run bin out elf dmg pkg mpkg deb rpm appimage desktop ' +
    'docm dotm xlsm xltm xlam pptm potm ppam sldm html htm xhtml shtml mht mhtml svg svgz'
  ).split(' '),
)

/** Device names Windows reserves in every folder (and the reason "CON.txt" cannot be created). */
const RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/i

const MAX_NAME = 180

/**
 * The attachment's name made safe to show and save: hidden characters removed (an RLO turns
 * "invoice‮fdp.exe" into what looks like "invoiceexe.pdf"), folders removed (path traversal: "../../.bashrc",
 * "..\Startup\run.bat"), runs of spaces collapsed (they push a second extension out of sight), trailing dots
 * and spaces dropped (Windows ignores them: "setup.exe. ." is setup.exe), reserved device names and
 * characters Windows forbids replaced. The result keeps the real final extension in view.
 */
export function safeAttachmentName(raw: string, fallback = 'attachment'): SafeAttachmentName {
  const warnings: string[] = []
  let name = raw
  if (hasHiddenCharacters(name)) {
    warnings.push(
      hasBidiControls(name)
        ? 'The name contained characters that reverse text direction to disguise its extension.'
        : 'The name contained invisible characters.',
    )
    name = stripHiddenCharacters(name)
  }
  const base = name.split(/[/\\]/).pop() ?? ''
  if (base !== name) warnings.push('The name contained a folder path, which was removed.')
  name = base
    .replace(/\s+/g, ' ')
    .replace(/[. ]+$/, '')
    .trim()
  if (/^\.+/.test(name)) {
    name = name.replace(/^\.+/, '_')
  }
  name = name.replace(/[<>:"|?*]/g, '_')
  const stem = name.split('.')[0] ?? ''
  if (RESERVED.test(stem.trim())) {
    warnings.push(`"${stem}" is a reserved device name on Windows.`)
    name = `_${name}`
  }
  if (name === '' || name === '_') name = fallback
  const parts = name.split('.')
  const ext = parts.length > 1 ? parts[parts.length - 1]!.toLowerCase() : ''
  if (name.length > MAX_NAME) {
    name = `${name.slice(0, MAX_NAME - ext.length - 2)}….${ext}`
  }
  const executable = EXECUTABLE.has(ext)
  if (executable && parts.length > 2) {
    warnings.push(`The name has two extensions; it really is a .${ext} file.`)
  }
  if (executable) warnings.push(`A .${ext} file can run programs on your computer when opened.`)
  return { name, original: revealHiddenCharacters(raw), executable, warnings }
}
