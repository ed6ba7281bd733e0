import { KAFKIT_VERSION } from '@kafkit/client'
import type { ApiVersionsResponse } from '@kafkit/protocol'
import type { AdminRouter } from '../admin-router.js'

export interface FeatureMetadata {
  /** Finalized feature levels by feature name (e.g. `metadata.version`, `transaction.version`): what the cluster uses. */
  finalizedFeatures: Record<string, { minVersionLevel: number; maxVersionLevel: number }>
  /** The metadata epoch of the finalized features, or undefined when the broker reports none. */
  finalizedFeaturesEpoch: bigint | undefined
  /** The levels the broker that answered can support, by feature name. */
  supportedFeatures: Record<string, { minVersion: number; maxVersion: number }>
}

/**
 * The cluster's feature flags (KIP-584), from ApiVersions of any broker, as
 * Java's describeFeatures: supported and finalized levels.
 */
export async function describeFeatures(router: AdminRouter): Promise<FeatureMetadata> {
  const response: ApiVersionsResponse = await router.toAny(
    'ApiVersions',
    { clientSoftwareName: 'kafkit', clientSoftwareVersion: KAFKIT_VERSION },
    (r) => r.errorCode,
  )
  return {
    finalizedFeatures: Object.fromEntries(
      response.finalizedFeatures.map((f) => [
        f.name,
        { minVersionLevel: f.minVersionLevel, maxVersionLevel: f.maxVersionLevel },
      ]),
    ),
    finalizedFeaturesEpoch: response.finalizedFeaturesEpoch < 0n ? undefined : response.finalizedFeaturesEpoch,
    supportedFeatures: Object.fromEntries(
      response.supportedFeatures.map((f) => [f.name, { minVersion: f.minVersion, maxVersion: f.maxVersion }]),
    ),
  }
}
