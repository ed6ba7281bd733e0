import { type ApiDefinition, Apis, errorFromCode, UnsupportedVersionError } from '@kafkit/protocol'
import { API_VERSIONS_FIRST_VERSION, BrokerApiVersions, type VersionRange } from './api-versions.js'

export type Exchange = (api: ApiDefinition, version: number, body: unknown) => Promise<unknown>

const UNSUPPORTED_VERSION = 35

/**
 * ApiVersions on a new connection. The first request uses the highest version
 * (with the client's software name, KIP-511); a broker that does not know that
 * version answers in v0 with UNSUPPORTED_VERSION and its own ApiVersions range,
 * and the client asks again in the highest version the broker named, as Java does.
 */
export async function negotiateApiVersions(
  broker: string,
  software: { softwareName: string; softwareVersion: string },
  exchange: Exchange,
): Promise<BrokerApiVersions> {
  let version = API_VERSIONS_FIRST_VERSION
  for (let attempt = 0; attempt < 2; attempt++) {
    const request = Apis.ApiVersions.request.create({
      clientSoftwareName: software.softwareName,
      clientSoftwareVersion: software.softwareVersion,
    })
    const response = Apis.ApiVersions.response.create(
      (await exchange(Apis.ApiVersions as unknown as ApiDefinition, version, request)) as object,
    )
    if (response.errorCode === UNSUPPORTED_VERSION) {
      const own = response.apiKeys.find((entry) => entry.apiKey === Apis.ApiVersions.apiKey)
      const next = Math.min(own?.maxVersion ?? 0, API_VERSIONS_FIRST_VERSION)
      if (attempt === 0 && next < version) {
        version = next
        continue
      }
    }
    const error = errorFromCode(response.errorCode, { api: 'ApiVersions', broker })
    if (error) throw error
    const ranges = new Map<number, VersionRange>(
      response.apiKeys.map((entry) => [entry.apiKey, { min: entry.minVersion, max: entry.maxVersion }]),
    )
    return new BrokerApiVersions(broker, ranges)
  }
  throw new UnsupportedVersionError({
    api: 'ApiVersions',
    broker,
    detail: 'the broker refused every ApiVersions version',
  })
}
