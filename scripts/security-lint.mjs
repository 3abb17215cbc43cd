// Electron security lint (Doyensec's electronegativity) over the built app in out/ (run `electron-vite build`
// first): the build is what ships, and only there are the CSP meta tag and the inlined header policy visible. Fails on any finding of HIGH
// severity, or of MEDIUM severity and up when it is a check this project has decided to hold itself to.
import { readFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { repoRoot, run } from './bootstrap.mjs'

const outDir = join(repoRoot, 'e2e-output')
mkdirSync(outDir, { recursive: true })
const sarifPath = join(outDir, 'electronegativity.sarif')
const status = run(join(repoRoot, 'node_modules', '.bin', 'electronegativity'), [
  '--input',
  'out',
  '--relative',
  '--electron-version',
  JSON.parse(readFileSync(join(repoRoot, 'node_modules/electron/package.json'), 'utf8')).version,
  '--severity',
  'medium',
  '--output',
  sarifPath,
])
if (status !== 0) {
  process.stderr.write(`electronegativity failed to run (exit ${status}).\n`)
  process.exit(1)
}
const results = JSON.parse(readFileSync(sarifPath, 'utf8')).runs[0].results ?? []
// SARIF levels from electronegativity: error = HIGH, warning = MEDIUM, note = LOW/INFORMATIONAL.
const blocking = results.filter((r) => r.level === 'error' || r.level === 'warning')
for (const r of results) {
  const where = (r.locations ?? []).map((l) => l.physicalLocation?.artifactLocation?.uri).join(', ')
  process.stdout.write(`${r.level.padEnd(7)} ${r.ruleId} ${where}: ${r.message.text}\n`)
}
if (blocking.length > 0) {
  process.stderr.write(`\nelectronegativity: ${blocking.length} finding(s) of medium or high severity.\n`)
  process.exit(1)
}
process.stdout.write(`electronegativity: no medium or high findings (${results.length} informational).\n`)
