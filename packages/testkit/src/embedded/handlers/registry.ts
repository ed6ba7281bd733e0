import type { ApiName } from '@kafkit/protocol'
import type { Handler } from '../handler.js'
import { metadataHandler } from './03-metadata.js'
import { findCoordinatorHandler } from './10-find-coordinator.js'
import { saslHandshakeHandler } from './17-sasl-handshake.js'
import { apiVersionsHandler } from './18-api-versions.js'
import { saslAuthenticateHandler } from './36-sasl-authenticate.js'
import { adminHandlers } from './admin-handlers.js'
import { dataHandlers } from './data-handlers.js'
import { groupHandlers } from './group-handlers.js'
import { securityHandlers } from './security-handlers.js'
import { transactionHandlers } from './transaction-handlers.js'

/** Every API the embedded broker implements; ApiVersions advertises exactly these. */
export function defaultHandlers(): Map<ApiName, Handler> {
  const handlers: Handler[] = [
    metadataHandler,
    findCoordinatorHandler,
    saslHandshakeHandler,
    apiVersionsHandler,
    saslAuthenticateHandler,
    ...dataHandlers,
    ...adminHandlers,
    ...groupHandlers,
    ...securityHandlers,
    ...transactionHandlers,
  ] as Handler[]
  return new Map(handlers.map((handler) => [handler.api, handler]))
}
