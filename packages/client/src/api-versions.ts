import { ApiByKey, type ApiDefinition, Apis, UnsupportedVersionError } from '@kafkit/protocol'

export interface VersionRange {
  min: number
  max: number
}

/** The API versions a broker advertised in ApiVersions, by API key. */
export class BrokerApiVersions {
  constructor(
    readonly broker: string,
    private readonly ranges: ReadonlyMap<number, VersionRange>,
  ) {}

  /** The broker's range for an API, or undefined when it does not serve it. */
  range(apiKey: number): VersionRange | undefined {
    return this.ranges.get(apiKey)
  }

  /**
   * The highest version of `api` that both this client and the broker speak.
   * Fails with UnsupportedVersionError naming the API and both ranges when
   * there is none.
   */
  versionFor(api: ApiDefinition, wanted?: { min?: number; max?: number }): number {
    const broker = this.ranges.get(api.apiKey)
    const ours = {
      min: Math.max(api.minVersion, wanted?.min ?? 0),
      max: Math.min(api.maxVersion, wanted?.max ?? Infinity),
    }
    if (!broker) {
      throw new UnsupportedVersionError({
        api: api.name,
        broker: this.broker,
        detail: `the broker does not support ${api.name}; this client speaks versions ${ours.min}-${ours.max}`,
      })
    }
    const version = Math.min(ours.max, broker.max)
    if (version < Math.max(ours.min, broker.min)) {
      throw new UnsupportedVersionError({
        api: api.name,
        broker: this.broker,
        detail: `no common version of ${api.name}: the broker speaks ${broker.min}-${broker.max}, this client ${ours.min}-${ours.max}`,
      })
    }
    return version
  }

  /** Every API the broker serves, with its name where this client knows it. */
  entries(): { apiKey: number; name: string; min: number; max: number }[] {
    return [...this.ranges].map(([apiKey, range]) => ({
      apiKey,
      name: ApiByKey.get(apiKey)?.name ?? `api-${apiKey}`,
      ...range,
    }))
  }
}

/** The ApiVersions version to ask first: the highest stable one, which carries the client's software name. */
export const API_VERSIONS_FIRST_VERSION = Apis.ApiVersions.maxVersion
