import { describe, expect, it } from 'vitest'
import { nameHidesAddress } from './display-name'

describe('nameHidesAddress', () => {
  it('flags a display name that shows another address', () => {
    expect(nameHidesAddress('support@bank.example', 'crook@evil.example')).toBe(true)
    expect(nameHidesAddress('Bank <support@bank.example>', 'crook@evil.example')).toBe(true)
    expect(nameHidesAddress('Alice@Example.org', 'alice@example.org')).toBe(false)
    expect(nameHidesAddress('Alice Example', 'alice@example.org')).toBe(false)
  })
})
