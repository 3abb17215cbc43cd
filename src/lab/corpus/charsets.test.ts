import { describe, expect, it } from 'vitest'
import { canEncode, encodeText, UnencodableError, type Charset } from './charsets'

const samples: [Charset, string][] = [
  ['iso-8859-1', 'Grüße, Jürgen – ÿ'.replace('–', '-')],
  ['windows-1252', 'Œuvres “quoted” – 10 €'],
  ['koi8-r', 'Отчёт за квартал'],
  ['shift_jis', '会議の議事録、来週の打ち合わせ。'],
  ['iso-2022-jp', '【重要】パスワード変更 abc 資料'],
  ['utf-8', '会议通知 🎉'],
]

describe('encodeText', () => {
  it.each(samples)('%s round-trips through the WHATWG decoder', (charset, text) => {
    const label = charset === 'iso-8859-1' ? 'latin1' : charset
    expect(new TextDecoder(label).decode(encodeText(text, charset))).toBe(text)
  })

  it('writes ISO-2022-JP as 7-bit and ends in ASCII mode', () => {
    const bytes = encodeText('資料 text 資料', 'iso-2022-jp')
    expect([...bytes].every((b) => b < 0x80)).toBe(true)
    expect(bytes.subarray(-3).toString('latin1')).toBe('\x1b(B')
  })

  it('refuses characters the charset lacks', () => {
    expect(() => encodeText('€', 'iso-8859-1')).toThrow(UnencodableError)
    expect(canEncode('Отчёт', 'windows-1252')).toBe(false)
    expect(canEncode('Grüße', 'windows-1252')).toBe(true)
    expect(canEncode('🎉', 'shift_jis')).toBe(false)
  })
})
