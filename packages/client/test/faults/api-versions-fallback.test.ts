import { describe, expect, it } from 'vitest'
import { useFaultHarness } from '../support/fault-harness.js'

/**
 * A broker older than the client does not know the ApiVersions version the
 * client asks first: it answers in v0 with UNSUPPORTED_VERSION and its own
 * ranges, and the client asks again in the highest version the broker named.
 */
describe('ApiVersions fallback', () => {
  const harness = useFaultHarness()

  it('retries ApiVersions in the highest version the broker named, then connects', async () => {
    const fake = await harness.broker({ apiVersions: { ApiVersions: { min: 0, max: 2 } }, topics: { orders: 1 } })
    const client = harness.client(fake)

    await client.connect()

    const asked = fake.received('ApiVersions')
    expect(asked.map((request) => request.version)).toEqual([4, 2])
    // Both on the one connection: the refusal does not cost a reconnect.
    expect(new Set(asked.map((request) => request.connectionId)).size).toBe(1)
    expect(fake.connections).toBe(1)
    expect(client.cluster.metadata.brokers).toEqual([{ nodeId: 0, host: fake.host, port: fake.port, rack: null }])
  })

  it('uses the versions the broker advertised in its second answer', async () => {
    const fake = await harness.broker({
      apiVersions: { ApiVersions: { min: 0, max: 2 }, Metadata: { min: 0, max: 7 } },
    })
    const connection = harness.connection(fake)

    await connection.connect()

    expect(connection.apiVersions.range(18)).toEqual({ min: 0, max: 2 })
    await connection.request('Metadata', {
      topics: [],
      allowAutoTopicCreation: false,
      includeClusterAuthorizedOperations: false,
      includeTopicAuthorizedOperations: false,
    })
    expect(fake.received('Metadata').map((request) => request.version)).toEqual([7])
  })
})
