import { describe, expect, it } from 'vitest'
import { baseSubject, forwardSubject, replySubject } from './subject'

describe('reply and forward subjects', () => {
  it('adds one prefix and never piles them up', () => {
    expect(replySubject('Lunch')).toBe('Re: Lunch')
    expect(replySubject('Re: Lunch')).toBe('Re: Lunch')
    expect(replySubject('RE: re: Fwd: Lunch')).toBe('Re: Lunch')
    expect(forwardSubject('Re: Lunch')).toBe('Fwd: Lunch')
    expect(forwardSubject('Fw: FWD: Lunch')).toBe('Fwd: Lunch')
  })

  it('knows localized prefixes and counters', () => {
    expect(baseSubject('AW: WG: Angebot')).toBe('Angebot')
    expect(baseSubject('Re[2]: SV: Möte')).toBe('Möte')
    expect(baseSubject('Re：件名')).toBe('件名')
  })

  it('leaves words that merely start like a prefix alone', () => {
    expect(replySubject('Report: Q3')).toBe('Re: Report: Q3')
    expect(replySubject('')).toBe('Re:')
  })
})
