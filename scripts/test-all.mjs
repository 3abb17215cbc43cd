// `npm test`: the full suite, as CI runs it, from a fresh machine: set-up, unit tests, integration tests
// against the real mail lab (Dovecot + Postfix), then a build and the end-to-end tests in Chromium.
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  ensureChromium,
  ensureLabPackages,
  ensureNode22,
  ensureNpmDeps,
  log,
  repoRoot,
  run,
  runOrDie,
} from './bootstrap.mjs'

ensureNode22()
ensureNpmDeps()
ensureLabPackages()
ensureChromium()

const bin = (name) => join(repoRoot, 'node_modules', '.bin', name)
const outDir = join(repoRoot, 'e2e-output')
mkdirSync(outDir, { recursive: true })

const stages = [
  { name: 'unit + lab integration', args: ['run'], report: join(outDir, 'vitest-report.json') },
  {
    name: 'end-to-end (Chromium)',
    args: ['run', '--config', 'e2e/vitest.config.ts'],
    report: join(outDir, 'e2e-report.json'),
    before: () => runOrDie(bin('electron-vite'), ['build']),
  },
]

let passed = 0
let failed = 0
let skipped = 0
let exitCode = 0
for (const stage of stages) {
  log(`Running ${stage.name} tests …`)
  stage.before?.()
  const status = run(bin('vitest'), [
    ...stage.args,
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${stage.report}`,
  ])
  if (existsSync(stage.report)) {
    const report = JSON.parse(readFileSync(stage.report, 'utf8'))
    passed += report.numPassedTests ?? 0
    failed += report.numFailedTests ?? 0
    skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0)
  }
  if (status !== 0) {
    exitCode = status
    if (!existsSync(stage.report)) failed += 1 // the runner itself failed: count it, never report green
  }
}
process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`)
process.exit(exitCode !== 0 || failed > 0 ? 1 : 0)
