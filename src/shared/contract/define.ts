import type { z } from 'zod'

/**
 * One RPC method: what the caller sends, what it gets back, and — for streaming methods — what each chunk
 * looks like. Chunks always arrive before the result; the result ends the call.
 */
export interface MethodSpec<
  P extends z.ZodType = z.ZodType,
  R extends z.ZodType = z.ZodType,
  C extends z.ZodType | undefined = z.ZodType | undefined,
> {
  params: P
  result: R
  chunk?: C
}

/** Keeps the literal schema types of a method so the derived TypeScript types stay precise. */
export function method<P extends z.ZodType, R extends z.ZodType>(spec: {
  params: P
  result: R
}): { params: P; result: R }
export function method<P extends z.ZodType, R extends z.ZodType, C extends z.ZodType>(spec: {
  params: P
  result: R
  chunk: C
}): { params: P; result: R; chunk: C }
export function method(spec: MethodSpec): MethodSpec {
  return spec
}

export type MethodMap = Record<string, MethodSpec>
export type EventMap = Record<string, z.ZodType>
