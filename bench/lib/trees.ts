// Two versions of the app side by side in one bench run (ab-builds, rpc-overhead): a git ref is checked out
// (detached) into a temporary worktree and built there; a checkout directory is used as it is.

import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { symlink } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { log } from './result'

const repoRoot = resolve(import.meta.dirname, '../..')

/** What one side runs: a whole checkout (core + renderer) or only a renderer build over this core. */
export type Build = { kind: 'checkout'; root: string } | { kind: 'renderer'; dir: string }

/**
 * `spec`: a checkout directory with a build (src/web/cli.ts and out/renderer), a copy of a built out/renderer,
 * or a git ref, checked out into `tmp` and built (node_modules is this checkout's).
 */
export async function prepareBuild(spec: string, tmp: string, label: string): Promise<Build> {
  const dir = resolve(spec)
  if (existsSync(join(dir, 'src/web/cli.ts'))) return { kind: 'checkout', root: dir }
  if (existsSync(join(dir, 'index.html'))) return { kind: 'renderer', dir }
  const root = join(tmp, `tree-${label}`)
  log(`${label}: checking out ${spec} into ${root} and building ...`)
  // Its output to stderr: stdout is the benches' JSON lines.
  execFileSync('git', ['worktree', 'add', '--detach', root, spec], { cwd: repoRoot, stdio: ['ignore', 2, 2] })
  await symlink(join(repoRoot, 'node_modules'), join(root, 'node_modules'))
  execFileSync(join(root, 'node_modules/.bin/electron-vite'), ['build'], { cwd: root, stdio: 'ignore' })
  return { kind: 'checkout', root }
}

/** Removes the worktrees `prepareBuild` made under `tmp`. */
export function removeBuilds(builds: readonly Build[], tmp: string): void {
  for (const build of builds) {
    if (build.kind === 'checkout' && build.root.startsWith(tmp)) {
      execFileSync('git', ['worktree', 'remove', '--force', build.root], { cwd: repoRoot, stdio: 'ignore' })
    }
  }
}
