import type { ApiMessages, ApiName } from '@kafkit/protocol'
import type { RequestContext } from '../handler.js'

type Response<N extends ApiName> = ApiMessages[N]['response'] | null

/**
 * An ACL check in front of one API's handler: answers the parts of a request
 * the principal may not touch with Kafka's *_AUTHORIZATION_FAILED codes and
 * passes the rest on through `next`.
 */
export type Guard<N extends ApiName> = (
  request: ApiMessages[N]['request'],
  context: RequestContext,
  next: (request: ApiMessages[N]['request']) => Promise<Response<N>>,
) => Promise<Response<N>>
