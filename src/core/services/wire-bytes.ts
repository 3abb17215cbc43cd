/**
 * The same bytes, typed as the contract's `Uint8Array<ArrayBuffer>`, as a new view over the same memory (no
 * copy). Node's Buffers are typed as possibly backed by a SharedArrayBuffer; those from sockets and files never
 * are, and one that were would be copied here.
 */
export function wireBytes(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const { buffer } = bytes
  if (buffer instanceof ArrayBuffer) return new Uint8Array(buffer, bytes.byteOffset, bytes.byteLength)
  const copy = new Uint8Array(bytes.byteLength)
  copy.set(bytes)
  return copy
}
