import { type ApiMessages, type ApiName, ERROR_DEFINITIONS } from '@kafkit/protocol'
import type { RequestContext } from '../handler.js'
import { errorResponse } from './error-responses.js'

/**
 * What an interceptor does with a request:
 * - undefined: nothing (observe only); the broker handles it as usual;
 * - `{ delayMs }`: wait, then handle it as usual;
 * - `{ errorCode }`: answer with this error (a code or a name such as 'NOT_LEADER_OR_FOLLOWER') on every entity;
 * - `{ response }`: answer with this body instead;
 * - `{ drop: true }`: close the connection without answering;
 * - `{ noResponse: true }`: never answer (the client's request times out).
 */
export type InterceptAction<N extends ApiName = ApiName> =
  | undefined
  // biome-ignore lint/suspicious/noConfusingVoidType: an interceptor that only observes returns nothing
  | void
  | { delayMs: number }
  | { errorCode: number | string }
  | { response: ApiMessages[N]['response'] }
  | { drop: true }
  | { noResponse: true }

export interface InterceptOptions<N extends ApiName = ApiName> {
  /** Only requests to this broker id. */
  broker?: number
  /** Remove the interceptor after it has acted once. */
  once?: boolean
  /** Only requests this predicate accepts. */
  match?: (request: ApiMessages[N]['request'], context: RequestContext) => boolean
}

export type Interceptor<N extends ApiName = ApiName> = (
  request: ApiMessages[N]['request'],
  context: RequestContext,
) => InterceptAction<N> | Promise<InterceptAction<N>>

export type Outcome = { kind: 'respond'; response: unknown | null } | { kind: 'drop' } | { kind: 'silence' }

interface Registered {
  api: ApiName
  options: InterceptOptions
  interceptor: Interceptor
}

function codeOf(error: number | string): number {
  if (typeof error === 'number') return error
  const found = ERROR_DEFINITIONS.find((definition) => definition.name === error)
  if (!found) throw new Error(`unknown error name ${error}: use a Kafka error name such as NOT_LEADER_OR_FOLLOWER`)
  return found.code
}

/** The interceptors of one embedded cluster, applied in the order they were added. */
export class Interceptors {
  private readonly registered: Registered[] = []

  add<N extends ApiName>(api: N, options: InterceptOptions<N>, interceptor: Interceptor<N>): () => void {
    const entry: Registered = {
      api,
      options: options as unknown as InterceptOptions,
      interceptor: interceptor as unknown as Interceptor,
    }
    this.registered.push(entry)
    return () => this.remove(entry)
  }

  private remove(entry: Registered): void {
    const index = this.registered.indexOf(entry)
    if (index >= 0) this.registered.splice(index, 1)
  }

  clear(): void {
    this.registered.length = 0
  }

  /** Runs the matching interceptors, then (unless one answered) the handler. */
  async run(api: ApiName, request: unknown, context: RequestContext, handle: () => unknown): Promise<Outcome> {
    for (const entry of [...this.registered]) {
      if (entry.api !== api) continue
      if (entry.options.broker !== undefined && entry.options.broker !== context.broker.nodeId) continue
      if (entry.options.match && !entry.options.match(request as never, context)) continue
      if (entry.options.once) this.remove(entry)
      const action = await entry.interceptor(request as never, context)
      if (!action) continue
      if ('delayMs' in action) {
        await new Promise((resolve) => setTimeout(resolve, action.delayMs))
        continue
      }
      if ('errorCode' in action)
        return {
          kind: 'respond',
          response: errorResponse(api, context.version, request as never, codeOf(action.errorCode)),
        }
      if ('response' in action) return { kind: 'respond', response: action.response }
      if ('drop' in action) return { kind: 'drop' }
      return { kind: 'silence' }
    }
    return { kind: 'respond', response: await handle() }
  }
}
