import { Field, Input, makeStyles, tokens } from '@fluentui/react-components'
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react'
import type { ComposeAddress } from '../../store/compose-rows'
import { formatMailbox } from './address-parse'
import { suggest } from './use-address-book'

const useStyles = makeStyles({
  root: { position: 'relative' },
  list: {
    position: 'absolute',
    zIndex: 10,
    top: '100%',
    left: '0',
    right: '0',
    margin: '0',
    padding: tokens.spacingVerticalXS,
    listStyle: 'none',
    backgroundColor: tokens.colorNeutralBackground1,
    border: `1px solid ${tokens.colorNeutralStroke1}`,
    borderRadius: tokens.borderRadiusMedium,
    boxShadow: tokens.shadow16,
  },
  option: { padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalS}`, cursor: 'pointer' },
  active: { backgroundColor: tokens.colorNeutralBackground1Selected },
  address: { color: tokens.colorNeutralForeground3, marginLeft: tokens.spacingHorizontalS },
})

/** The part after the last separator outside quotes: what autocomplete completes. */
function lastToken(text: string): { start: number; token: string } {
  let quoted = false
  let start = 0
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (c === '"' && text[i - 1] !== '\\') quoted = !quoted
    else if (!quoted && (c === ',' || c === ';')) start = i + 1
  }
  return { start, token: text.slice(start).trim() }
}

export interface AddressFieldProps {
  label: string
  value: string
  onChange(value: string): void
  book: readonly ComposeAddress[]
  invalid: readonly string[]
  autoFocus?: boolean
  className?: string
}

/** To/Cc/Bcc: free text (RFC 5322 lists, groups) with suggestions from addresses seen in mail. */
export function AddressField({
  label,
  value,
  onChange,
  book,
  invalid,
  autoFocus,
  className,
}: AddressFieldProps): React.JSX.Element {
  const styles = useStyles()
  const [focused, setFocused] = useState(false)
  // A blur closes the list a moment later (so a click on a suggestion still lands); focus coming back in
  // that moment (the dialog moving focus on open, then the user clicking in) must cancel the close.
  const blurTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined)
  useEffect(() => () => clearTimeout(blurTimer.current), [])
  const [active, setActive] = useState(0)
  const { start, token } = lastToken(value)
  const options = useMemo(
    () => (focused && token.length >= 1 ? suggest(book, token) : []),
    [book, token, focused],
  )

  const pick = (entry: ComposeAddress): void => {
    const head = value.slice(0, start).trimEnd()
    onChange(`${head ? `${head} ` : ''}${formatMailbox(entry)}, `)
    setActive(0)
  }
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>): void => {
    if (options.length === 0) return
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault()
      const step = event.key === 'ArrowDown' ? 1 : -1
      setActive((a) => (a + step + options.length) % options.length)
    } else if (event.key === 'Enter' || (event.key === 'Tab' && !event.shiftKey)) {
      event.preventDefault()
      pick(options[Math.min(active, options.length - 1)]!)
    } else if (event.key === 'Escape') {
      setFocused(false)
    }
  }

  return (
    <Field
      label={label}
      className={className}
      orientation="horizontal"
      validationState={invalid.length > 0 ? 'error' : 'none'}
      validationMessage={invalid.length > 0 ? `Not an address: ${invalid.join(', ')}` : undefined}
    >
      <div className={styles.root}>
        <Input
          aria-label={label}
          value={value}
          autoFocus={autoFocus}
          onChange={(_e, data) => {
            onChange(data.value)
            setActive(0)
          }}
          onFocus={() => {
            clearTimeout(blurTimer.current)
            setFocused(true)
          }}
          onBlur={() => {
            clearTimeout(blurTimer.current)
            blurTimer.current = setTimeout(() => setFocused(false), 150)
          }}
          onKeyDown={onKeyDown}
          style={{ width: '100%' }}
          aria-autocomplete="list"
          aria-expanded={options.length > 0}
        />
        {options.length > 0 && (
          <ul className={styles.list} role="listbox" aria-label={`${label} suggestions`}>
            {options.map((o, i) => (
              <li
                key={o.address}
                role="option"
                aria-selected={i === active}
                className={`${styles.option} ${i === active ? styles.active : ''}`}
                onMouseDown={(e) => {
                  e.preventDefault()
                  pick(o)
                }}
              >
                {o.name || o.address}
                {o.name && <span className={styles.address}>{o.address}</span>}
              </li>
            ))}
          </ul>
        )}
      </div>
    </Field>
  )
}
