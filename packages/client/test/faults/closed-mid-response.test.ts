import { describe, expect, it } from 'vitest'
import { ConnectionError } from '../../src/errors.js'
import { capture, eventually, gate } from '../support/eventually.js'
import { useFaultHarness } from '../support/fault-harness.js'
import { latestOffsetOf } from '../support/requests.js'

/**
 * The broker's socket closes while a response is half written: every request
 * in flight on that connection fails with a retriable ConnectionError, and the
 * next request opens a new connection.
 */
describe('a connection closed in the middle of a response', () => {
  const harness = useFaultHarness()

  it('fails every request in flight with a retriable ConnectionError, and the next request reconnects', async () => {
    const fake = await harness.broker({ topics: { orders: 1 } })
    const client = harness.client(fake, { maxInFlightRequests: 5 })
    await client.connect()
    const bothSent = gate()
    fake.onRequest(
      'ListOffsets',
      async () => {
        await bothSent.opened
        return { closeMidResponse: true }
      },
      { once: true },
    )

    const first = capture(client.cluster.request(0, 'ListOffsets', latestOffsetOf('orders')))
    const second = capture(client.cluster.request(0, 'ListOffsets', latestOffsetOf('orders')))
    await eventually('both requests to reach the broker', () => fake.received('ListOffsets').length === 2)
    bothSent.open()

    for (const outcome of [await first, await second]) {
      expect(outcome.status).toBe('rejected')
      const error = outcome.status === 'rejected' ? outcome.reason : undefined
      expect(error).toBeInstanceOf(ConnectionError)
      expect(error).toMatchObject({ retriable: true, broker: fake.address, api: 'ListOffsets' })
    }
    expect(fake.connections).toBe(1)

    const response = await client.cluster.request(0, 'ListOffsets', latestOffsetOf('orders'))
    expect(response.topics[0]?.partitions[0]?.offset).toBe(0n)
    expect(fake.connections).toBe(2)
    expect(fake.received('ListOffsets').at(-1)?.connectionId).toBe(2)
  })
})
