/** Where a `Uint8Array` sits inside a message: object keys and array indices from the root. */
export type BinaryPath = (string | number)[]

export interface BinaryPart {
  path: BinaryPath
  bytes: Uint8Array
}

/** Keys that would reach an object's prototype when assigned to; never valid in a path. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype'])

const MAX_DEPTH = 64

/**
 * Finds every `Uint8Array` in a JSON-like value (plain objects and arrays). Message payloads are small
 * trees, so a full walk per message is cheap next to serialising them.
 */
export function findBinaryParts(value: unknown): BinaryPart[] {
  const parts: BinaryPart[] = []
  // One path stack for the whole walk, copied only where bytes are found: a stream chunk of 10,000 header
  // records has no bytes at all, and a fresh path per node was most of the walk's cost.
  const path: BinaryPath = []
  const walk = (node: unknown): void => {
    if (node instanceof Uint8Array) {
      parts.push({ path: [...path], bytes: node })
      return
    }
    if (typeof node !== 'object' || node === null || path.length >= MAX_DEPTH) return
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        path.push(i)
        walk(node[i])
        path.pop()
      }
      return
    }
    for (const key in node) {
      if (!Object.hasOwn(node, key)) continue
      path.push(key)
      walk((node as Record<string, unknown>)[key])
      path.pop()
    }
  }
  walk(value)
  return parts
}

/** A structural copy of `value` with every `Uint8Array` replaced by `null` (the JSON header of a binary frame). */
export function withoutBinary(value: unknown, depth = 0): unknown {
  if (value instanceof Uint8Array) return null
  if (typeof value !== 'object' || value === null || depth >= MAX_DEPTH) return value
  if (Array.isArray(value)) return value.map((item: unknown) => withoutBinary(item, depth + 1))
  const copy: Record<string, unknown> = {}
  for (const [key, item] of Object.entries(value)) {
    // defineProperty, not assignment: a key named "__proto__" must stay a plain data property.
    Object.defineProperty(copy, key, {
      value: withoutBinary(item, depth + 1),
      enumerable: true,
      writable: true,
      configurable: true,
    })
  }
  return copy
}

/**
 * Puts `bytes` back at `path` inside a freshly parsed JSON tree. The slot must already exist as an own
 * property holding `null`, so a hostile header can neither add keys nor reach a prototype.
 * @returns false when the path is not a valid placeholder.
 */
export function placeBinary(root: unknown, path: BinaryPath, bytes: Uint8Array): boolean {
  if (path.length === 0) return false
  let node: unknown = root
  for (let i = 0; i < path.length; i++) {
    const key = path[i]!
    if (typeof node !== 'object' || node === null) return false
    if (Array.isArray(node) !== (typeof key === 'number')) return false
    if (typeof key === 'string' && FORBIDDEN_KEYS.has(key)) return false
    const prop = String(key)
    if (!Object.hasOwn(node, prop)) return false
    if (i === path.length - 1) {
      if (Reflect.get(node, prop) !== null) return false
      Object.defineProperty(node, prop, {
        value: bytes,
        enumerable: true,
        writable: true,
        configurable: true,
      })
      return true
    }
    node = Reflect.get(node, prop)
  }
  return false
}

/**
 * The buffer to transfer (detach) instead of copying, if that is safe: only when the view covers its whole
 * `ArrayBuffer`. A partial view usually means a shared pool (Node's Buffer pool) that other data lives in.
 */
export function transferableBuffer(bytes: Uint8Array): ArrayBuffer | undefined {
  const buffer = bytes.buffer
  if (!(buffer instanceof ArrayBuffer) || buffer.byteLength === 0) return undefined
  return bytes.byteOffset === 0 && bytes.byteLength === buffer.byteLength ? buffer : undefined
}

/** A copy of `bytes` in an `ArrayBuffer` of exactly its size. */
function compactCopy(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const copy = new Uint8Array(bytes.byteLength)
  copy.set(bytes)
  return copy
}

/**
 * What a message port should post for `value`. Structured clone and transfer both carry a view's whole
 * `ArrayBuffer`, so a partial view (a slice of Node's Buffer pool, or of a larger socket read) is replaced by a
 * compact copy: the peer gets exactly the bytes, and the shared buffer is neither cloned whole nor detached.
 * Whole-buffer views are posted as they are. With `transfer`, the buffers to transfer instead of clone: every
 * part's, the copies' included, so each byte is copied at most once on the way.
 */
export function forPosting(value: unknown, transfer: boolean): { value: unknown; transfer: ArrayBuffer[] } {
  const parts = findBinaryParts(value)
  if (parts.length === 0) return { value, transfer: [] }
  const buffers = new Set<ArrayBuffer>()
  let posted = value
  const partial = parts.some((part) => transferableBuffer(part.bytes) === undefined)
  if (partial) posted = withoutBinary(value)
  for (const part of parts) {
    const whole = transferableBuffer(part.bytes) !== undefined
    const bytes = whole ? part.bytes : compactCopy(part.bytes)
    // The tree was rebuilt with null at every part (withoutBinary); the paths come from the same walk.
    if (partial) placeBinary(posted, part.path, bytes)
    const buffer = transferableBuffer(bytes)
    if (transfer && buffer) buffers.add(buffer)
  }
  return { value: posted, transfer: [...buffers] }
}
