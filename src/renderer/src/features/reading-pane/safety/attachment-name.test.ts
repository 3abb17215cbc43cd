import { describe, expect, it } from 'vitest'
import { safeAttachmentName } from './attachment-name'
import { cleanDisplayText } from './display-text'

describe('safeAttachmentName', () => {
  it('removes a right-to-left override and shows the real extension', () => {
    const s = safeAttachmentName('invoice\u202efdp.exe')
    expect(s.name).toBe('invoicefdp.exe')
    expect(s.original).toBe('invoice[U+202E]fdp.exe')
    expect(s.executable).toBe(true)
    expect(s.warnings[0]).toMatch(/reverse text direction/)
  })

  it('drops folders from traversal paths, both separators, and hides no dot-files', () => {
    expect(safeAttachmentName('../../../../home/user/.bashrc').name).toBe('_bashrc')
    const win = safeAttachmentName(
      '..\\..\\AppData\\Roaming\\Microsoft\\Windows\\Start Menu\\Programs\\Startup\\run.bat',
    )
    expect(win.name).toBe('run.bat')
    expect(win.executable).toBe(true)
    expect(win.warnings.some((w) => /folder path/.test(w))).toBe(true)
    expect(safeAttachmentName('/etc/passwd').name).toBe('passwd')
    expect(safeAttachmentName('..').name).toBe('attachment')
  })

  it('shows double extensions for what they are and asks before saving executables', () => {
    const pdfExe = safeAttachmentName('statement.pdf.exe')
    expect(pdfExe).toMatchObject({ name: 'statement.pdf.exe', executable: true })
    expect(pdfExe.warnings.some((w) => /two extensions/.test(w))).toBe(true)
    // Runs of spaces pushing ".scr" out of sight collapse; trailing dots and spaces go (Windows drops them).
    expect(safeAttachmentName(`holiday.jpg${' '.repeat(40)}.scr`).name).toBe('holiday.jpg .scr')
    expect(safeAttachmentName('setup.exe. . .')).toMatchObject({ name: 'setup.exe', executable: true })
    expect(safeAttachmentName('readme.txt.lnk').executable).toBe(true)
    expect(safeAttachmentName('page.HTML').executable).toBe(true)
  })

  it('renames Windows device names and forbidden characters', () => {
    expect(safeAttachmentName('CON.txt').name).toBe('_CON.txt')
    expect(safeAttachmentName('a<b>c:d"e|f?g*.txt').name).toBe('a_b_c_d_e_f_g_.txt')
  })

  it('leaves ordinary names alone', () => {
    expect(safeAttachmentName('Quarterly report (final).pdf')).toEqual({
      name: 'Quarterly report (final).pdf',
      original: 'Quarterly report (final).pdf',
      executable: false,
      warnings: [],
    })
    expect(safeAttachmentName('Grüße 日本語.docx').name).toBe('Grüße 日本語.docx')
  })

  it('keeps very long names short, with the extension in view', () => {
    const s = safeAttachmentName(`${'a'.repeat(500)}.exe`)
    expect(s.name.length).toBeLessThanOrEqual(180)
    expect(s.name.endsWith('.exe')).toBe(true)
  })
})

describe('cleanDisplayText', () => {
  it('removes NUL, CR/LF and bidi controls from header text', () => {
    expect(cleanDisplayText('Invoice\u0000\r\nX-Injected: yes\u202e')).toBe('Invoice X-Injected: yes')
  })
})
