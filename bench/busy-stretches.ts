// What the long tasks in a CPU profile are: finds the stretches where the page's main thread was busy
// (no idle sample) for longer than --over ms, and prints, for all of them together and for the longest,
// the functions with the most self time and the top-level tasks they ran under.
//   npx tsx bench/busy-stretches.ts <file.cpuprofile> [--over 50] [--top 15]
import { readFile } from 'node:fs/promises'
import { parseArgs } from 'node:util'

interface Node {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  children?: number[]
}
interface Profile {
  nodes: Node[]
  samples: number[]
  timeDeltas: number[]
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { over: { type: 'string', default: '50' }, top: { type: 'string', default: '15' } },
})

const name = (n: Node): string => {
  const file = n.callFrame.url.split('/').pop() ?? ''
  return `${n.callFrame.functionName || '(anonymous)'} ${file}:${n.callFrame.lineNumber + 1}`
}

async function main(): Promise<void> {
  const profile = JSON.parse(await readFile(positionals[0]!, 'utf8')) as Profile
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const parent = new Map<number, number>()
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
  // (program) is the renderer's own work outside JS (style, layout, paint, IPC): part of a task, not idle.
  const idle = (id: number): boolean => byId.get(id)!.callFrame.functionName === '(idle)'
  // The outermost JS frame under (root) for a sample: which task it belongs to.
  const taskOf = (id: number): string => {
    let cur = id
    let last = id
    while (parent.has(cur) && byId.get(parent.get(cur)!)!.callFrame.functionName !== '(root)') {
      last = cur = parent.get(cur)!
    }
    return name(byId.get(last)!)
  }
  const over = Number(values.over) * 1000
  type Stretch = { start: number; dur: number; samples: { id: number; dt: number }[] }
  const stretches: Stretch[] = []
  let t = 0
  let cur: Stretch | null = null
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i + 1] ?? 0
    if (idle(id)) {
      if (cur && cur.dur > over) stretches.push(cur)
      cur = null
    } else {
      cur ??= { start: t, dur: 0, samples: [] }
      cur.dur += dt
      cur.samples.push({ id, dt })
    }
    t += dt
  })
  const top = (samples: { id: number; dt: number }[], key: (id: number) => string): string[] => {
    const sums = new Map<string, number>()
    for (const s of samples) sums.set(key(s.id), (sums.get(key(s.id)) ?? 0) + s.dt)
    return [...sums]
      .sort((a, b) => b[1] - a[1])
      .slice(0, Number(values.top))
      .map(([k, v]) => `${(v / 1000).toFixed(1).padStart(8)} ms  ${k}`)
  }
  console.log(
    `${stretches.length} busy stretches over ${values.over} ms: ${stretches.map((s) => (s.dur / 1000).toFixed(0)).join(', ')}`,
  )
  const all = stretches.flatMap((s) => s.samples)
  console.log('\nself time in them, by function:')
  console.log(top(all, (id) => name(byId.get(id)!)).join('\n'))
  console.log('\nby task (outermost frame):')
  console.log(top(all, taskOf).join('\n'))
  const longest = [...stretches].sort((a, b) => b.dur - a.dur)[0]
  if (longest) {
    console.log(
      `\nlongest (${(longest.dur / 1000).toFixed(0)} ms at ${(longest.start / 1000).toFixed(0)} ms):`,
    )
    console.log(top(longest.samples, (id) => name(byId.get(id)!)).join('\n'))
  }
}

void main()
