import { describe, expect, it } from 'vitest'
import { eventually } from '../support/eventually.js'
import { useFaultHarness } from '../support/fault-harness.js'
import { metadataFor, produceTo } from '../support/requests.js'

/**
 * Requests are pipelined on one connection up to maxInFlightRequests; the
 * rest wait their turn. Responses come back in order and each is matched to
 * its own request by correlation id. A Produce with acks=0 gets no response
 * and does not hold a slot waiting for one.
 */
describe('pipelining on one connection', () => {
  const harness = useFaultHarness()

  it('keeps at most maxInFlightRequests outstanding and matches every response to its request', async () => {
    const fake = await harness.broker()
    const connection = harness.connection(fake, { maxInFlightRequests: 2 })
    await connection.connect()
    // Slow answers, so requests pile up at the client while the broker works.
    fake.onRequest('Metadata', () => ({ delayMs: 20 }))
    const topics = ['t0', 't1', 't2', 't3', 't4', 't5']

    const responses = await Promise.all(topics.map((topic) => connection.request('Metadata', metadataFor(topic))))

    expect(responses.map((response) => response.topics.map((t) => t.name))).toEqual(topics.map((topic) => [topic]))
    const received = fake.received('Metadata')
    expect(received.map((request) => request.body.topics?.[0]?.name)).toEqual(topics)
    // Pipelined (two at once), never more than the limit.
    expect(Math.max(...received.map((request) => request.outstanding))).toBe(2)
    expect(new Set(received.map((request) => request.connectionId)).size).toBe(1)
  })

  it('sends a Produce with acks=0 without waiting for a response, and keeps the responses around it in step', async () => {
    const fake = await harness.broker({ topics: { orders: 1 } })
    const connection = harness.connection(fake, { maxInFlightRequests: 2 })
    await connection.connect()

    const before = connection.request('Metadata', metadataFor('before'))
    const sent = connection.send('Produce', produceTo('orders', 0))
    const after = connection.request('Metadata', metadataFor('after'))

    await expect(sent).resolves.toBeUndefined()
    expect((await before).topics.map((t) => t.name)).toEqual(['before'])
    expect((await after).topics.map((t) => t.name)).toEqual(['after'])
    await eventually('the broker to receive the produce', () => fake.received('Produce').length === 1)
    expect(fake.received('Produce')[0]?.body.acks).toBe(0)
    expect(fake.requests.slice(-3).map((request) => request.api)).toEqual(['Metadata', 'Produce', 'Metadata'])
    expect(connection.isReady).toBe(true)
  })

  it('waits for the response of a Produce with acks=1', async () => {
    const fake = await harness.broker({ topics: { orders: 1 } })
    const connection = harness.connection(fake)
    await connection.connect()

    const response = await connection.request('Produce', produceTo('orders', 1))

    expect(response.responses[0]?.partitionResponses[0]).toMatchObject({ index: 0, errorCode: 0, baseOffset: 0n })
  })
})
