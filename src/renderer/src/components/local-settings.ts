const PREFIX = 'harbor-mail:'

/**
 * UI preferences kept in localStorage (per profile, per origin), read synchronously: the page can know them
 * before anything renders (the startup snapshot reads the folder the window will open). View settings only:
 * nothing here is mail data, and losing it costs the user a click. No React here: start-store-read.ts
 * imports this before React is evaluated.
 */
export function readSetting<T>(key: string, fallback: T, isValid: (value: unknown) => value is T): T {
  try {
    const raw = localStorage.getItem(PREFIX + key)
    if (raw === null) return fallback
    const parsed: unknown = JSON.parse(raw)
    return isValid(parsed) ? parsed : fallback
  } catch {
    return fallback
  }
}

export function writeSetting(key: string, value: unknown): void {
  try {
    localStorage.setItem(PREFIX + key, JSON.stringify(value))
  } catch {
    // Storage full or disabled: the setting just isn't remembered.
  }
}
