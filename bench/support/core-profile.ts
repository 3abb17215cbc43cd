/**
 * The environment for a web host whose core writes a V8 CPU profile into `dir` on exit, or undefined for
 * an unprofiled one. `--cpu-prof` goes through NODE_OPTIONS because tsx runs the host in a child node process.
 */
export function coreProfileEnv(dir: string | undefined): NodeJS.ProcessEnv | undefined {
  return dir ? { ...process.env, NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${dir}` } : undefined
}
