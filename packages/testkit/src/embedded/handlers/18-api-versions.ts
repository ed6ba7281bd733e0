/**
 * ApiVersions (key 18), versions 0-4. Advertises exactly the APIs and versions
 * the registered handlers implement. A request in a version this broker does
 * not know is answered in v0 with UNSUPPORTED_VERSION before it reaches here
 * (see client-connection.ts), as Kafka does.
 *
 * Features (KIP-584) describe what this broker implements, in Kafka 4.1.1's
 * terms: metadata.version as 4.1.1 (4.1-IV1), consumer groups (group.version 1)
 * and transactions without KIP-890 part 2 (transaction.version 1, where a
 * fresh 4.1.1 cluster finalizes 2), each finalized at its highest level. No
 * kraft.version, share.version or eligible.leader.replicas.version: there is
 * no KRaft quorum, share group or ELR.
 */
import { Apis } from '@kafkit/protocol'
import { defineHandler } from '../handler.js'

const FEATURES = [
  { name: 'group.version', min: 0, max: 1 },
  { name: 'metadata.version', min: 7, max: 27 },
  { name: 'transaction.version', min: 0, max: 1 },
]
/** The features never change, so their epoch (the metadata offset of the last change in Kafka) is fixed. */
const FINALIZED_FEATURES_EPOCH = 1n

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
    supportedFeatures: FEATURES.map(({ name, min, max }) => ({ name, minVersion: min, maxVersion: max })),
    finalizedFeaturesEpoch: FINALIZED_FEATURES_EPOCH,
    finalizedFeatures: FEATURES.map(({ name, max }) => ({ name, maxVersionLevel: max, minVersionLevel: max })),
    zkMigrationReady: false,
  }),
})
