import type { ApiMessages, ApiName, RequestHeader } from '@kafkit/protocol'
import type { SaslSession } from './client-connection.js'
import type { EmbeddedBroker, ListenerName } from './embedded-broker.js'
import type { ClusterState } from './state/cluster-state.js'

/** What a handler knows about the request beyond its body. */
export interface RequestContext {
  cluster: ClusterState
  /** The broker the request arrived at. */
  broker: EmbeddedBroker
  header: RequestHeader
  version: number
  /** The authenticated principal ("User:alice"), or "User:ANONYMOUS" without SASL. */
  principal: string
  /** Fires when the connection closes, so a long poll can stop waiting. */
  signal: AbortSignal
  /** Every handler of this broker, for ApiVersions. */
  handlers: ReadonlyMap<ApiName, Handler>
  /** The listener the connection came in through: metadata answers with that listener's ports. */
  listener: ListenerName
  /** SASL state of the connection. */
  session: SaslSession
}

/**
 * One API of the embedded broker. Each handler file starts with a comment giving
 * its version range and behaviour, and the versions it declares are what
 * ApiVersions advertises. Returning `null` sends no response (Produce acks=0).
 */
export interface Handler<N extends ApiName = ApiName> {
  readonly api: N
  readonly minVersion: number
  readonly maxVersion: number
  handle(
    request: ApiMessages[N]['request'],
    context: RequestContext,
  ): ApiMessages[N]['response'] | null | Promise<ApiMessages[N]['response'] | null>
}

export function defineHandler<N extends ApiName>(handler: Handler<N>): Handler<N> {
  return handler
}
