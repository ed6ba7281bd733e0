import { readFileSync } from 'node:fs'
import { KafkaClient } from '@kafkit/client'
import { type ApiName, Apis } from '@kafkit/protocol'
import { describe, expect, it } from 'vitest'
import { startEmbeddedKafka } from '../src/embedded/embedded-kafka.js'

interface AdvertisedApi {
  name: string
  apiKey: number
  minVersion: number
  maxVersion: number
}

/** What Apache Kafka 4.1.1 advertises, captured from the jar broker (see the fixture's source field). */
const kafka411 = JSON.parse(
  readFileSync(new URL('./fixtures/kafka-4.1.1-api-versions.json', import.meta.url), 'utf8'),
) as {
  apis: AdvertisedApi[]
}

describe('the embedded broker advertises what it implements', () => {
  it('serves each implemented API in the versions Kafka 4.1.1 serves (from the first one the codec knows)', async () => {
    await using kafka = await startEmbeddedKafka({ security: false })
    for (const { api, minVersion, maxVersion } of kafka.control.supportedApis()) {
      const real = kafka411.apis.find((entry) => entry.name === api)
      expect(real, `${api} is served by Kafka 4.1.1`).toBeDefined()
      expect({ api, minVersion, maxVersion }).toEqual({
        api,
        // Kafka still advertises versions it refuses (Produce 0-2, KIP-896); the codec starts where the spec does.
        minVersion: Math.max(real!.minVersion, Apis[api as ApiName].minVersion),
        maxVersion: real!.maxVersion,
      })
    }
  })

  it('answers ApiVersions with exactly those APIs', async () => {
    await using kafka = await startEmbeddedKafka({ security: false })
    await using client = new KafkaClient({ brokers: kafka.bootstrapServers })
    await client.connect()
    const connection = await client.cluster.connectionTo(1)
    const advertised = connection.apiVersions
      .entries()
      .map(({ name, min, max }) => ({ api: name, minVersion: min, maxVersion: max }))
    expect(advertised.sort((a, b) => a.api.localeCompare(b.api))).toEqual(
      kafka.control.supportedApis().sort((a, b) => a.api.localeCompare(b.api)),
    )
  })
})
