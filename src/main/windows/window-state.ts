import { readFileSync } from 'node:fs'
import { writeFile, rename } from 'node:fs/promises'
import { join } from 'node:path'
import { screen, type BrowserWindow, type Rectangle } from 'electron'

interface WindowState {
  bounds: Rectangle
  maximized: boolean
}

const DEFAULT_STATE: WindowState = { bounds: { x: 0, y: 0, width: 1280, height: 820 }, maximized: false }

function parseState(text: string): WindowState | undefined {
  const value: unknown = JSON.parse(text)
  if (typeof value !== 'object' || value === null) return undefined
  const v = value as { bounds?: Partial<Rectangle>; maximized?: unknown }
  const b = v.bounds
  if (!b || ![b.x, b.y, b.width, b.height].every((n) => typeof n === 'number' && Number.isFinite(n))) {
    return undefined
  }
  return {
    bounds: { x: b.x!, y: b.y!, width: Math.max(640, b.width!), height: Math.max(480, b.height!) },
    maximized: v.maximized === true,
  }
}

/** A window restored onto a monitor that has since been unplugged would open off-screen: check it still fits. */
function isVisibleOnSomeDisplay(bounds: Rectangle): boolean {
  return screen.getAllDisplays().some(({ workArea: a }) => {
    const overlapX = Math.min(bounds.x + bounds.width, a.x + a.width) - Math.max(bounds.x, a.x)
    const overlapY = Math.min(bounds.y + bounds.height, a.y + a.height) - Math.max(bounds.y, a.y)
    return overlapX >= 100 && overlapY >= 100
  })
}

export function loadWindowState(userDataDir: string): WindowState {
  try {
    const state = parseState(readFileSync(join(userDataDir, 'window-state.json'), 'utf8'))
    if (state && isVisibleOnSomeDisplay(state.bounds)) return state
  } catch {
    // First start, or an unreadable file: the default window is the right answer either way.
  }
  const { workArea } = screen.getPrimaryDisplay()
  const width = Math.min(DEFAULT_STATE.bounds.width, workArea.width)
  const height = Math.min(DEFAULT_STATE.bounds.height, workArea.height)
  return {
    bounds: {
      x: workArea.x + Math.round((workArea.width - width) / 2),
      y: workArea.y + Math.round((workArea.height - height) / 2),
      width,
      height,
    },
    maximized: false,
  }
}

/** Saves size, position and maximized state (debounced, atomically) whenever the user changes them. */
export function trackWindowState(win: BrowserWindow, userDataDir: string): void {
  const file = join(userDataDir, 'window-state.json')
  let timer: NodeJS.Timeout | undefined
  const save = (): void => {
    if (win.isDestroyed()) return
    const state: WindowState = { bounds: win.getNormalBounds(), maximized: win.isMaximized() }
    const tmp = `${file}.tmp`
    writeFile(tmp, JSON.stringify(state))
      .then(() => rename(tmp, file))
      .catch(() => undefined) // losing a window position is harmless; never disturb the user over it
  }
  const schedule = (): void => {
    clearTimeout(timer)
    timer = setTimeout(save, 400)
  }
  win.on('resize', schedule)
  win.on('move', schedule)
  win.on('maximize', schedule)
  win.on('unmaximize', schedule)
  win.on('close', () => {
    clearTimeout(timer)
    save()
  })
}
