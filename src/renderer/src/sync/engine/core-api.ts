import type {
  EventData,
  EventName,
  MethodName,
  ParamsOf,
  ResultOf,
  ChunkOf,
} from '../../../../shared/contract'

/** The slice of RpcClient the sync engine uses: narrow, so tests and the worker pass the same thing. */
export interface CoreApi {
  call<M extends MethodName>(
    method: M,
    params: ParamsOf<M>,
    opts?: { signal?: AbortSignal; onChunk?: (chunk: ChunkOf<M>) => void; timeoutMs?: number },
  ): Promise<ResultOf<M>>
  on<E extends EventName>(event: E, cb: (data: EventData<E>) => void): { dispose(): void }
}
