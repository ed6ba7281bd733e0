/**
 * ApiVersions (key 18), versions 0-4. Advertises exactly the APIs and versions
 * the registered handlers implement. A request in a version this broker does
 * not know is answered in v0 with UNSUPPORTED_VERSION before it reaches here
 * (see client-connection.ts), as Kafka does.
 */
import { Apis } from '@kafkit/protocol'
import { defineHandler } from '../handler.js'

export const apiVersionsHandler = defineHandler({
  api: 'ApiVersions',
  minVersion: Apis.ApiVersions.minVersion,
  maxVersion: Apis.ApiVersions.maxVersion,
  handle: (_request, { handlers }) => ({
    errorCode: 0,
    apiKeys: [...handlers.values()]
      .map((handler) => ({
        apiKey: Apis[handler.api].apiKey,
        minVersion: handler.minVersion,
        maxVersion: handler.maxVersion,
      }))
      .sort((a, b) => a.apiKey - b.apiKey),
    throttleTimeMs: 0,
    supportedFeatures: [],
    finalizedFeaturesEpoch: -1n,
    finalizedFeatures: [],
    zkMigrationReady: false,
  }),
})
