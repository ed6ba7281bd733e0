import { describe, expect, it } from 'vitest'
import { ConnectionError, RequestTimeoutError } from '../../src/errors.js'
import { capture, eventually } from '../support/eventually.js'
import { useFaultHarness } from '../support/fault-harness.js'
import { latestOffsetOf, metadataFor } from '../support/requests.js'

const REQUEST_TIMEOUT_MS = 200

/**
 * A broker that stops answering: the request fails with RequestTimeoutError
 * after requestTimeoutMs, and, as in Java, the connection is closed (a late
 * response could otherwise be taken for the next one), which fails the other
 * requests in flight on it with a ConnectionError. The next request reconnects.
 */
describe('a broker that stops answering', () => {
  const harness = useFaultHarness()

  it('times the request out, closes the connection and fails the requests in flight behind it', async () => {
    const fake = await harness.broker({ topics: { orders: 1 } })
    const client = harness.client(fake, { requestTimeoutMs: REQUEST_TIMEOUT_MS })
    await client.connect()
    fake.onRequest('ListOffsets', () => ({ noAnswer: true }), { once: true })

    const started = performance.now()
    const stuck = capture(client.cluster.request(0, 'ListOffsets', latestOffsetOf('orders')))
    // A longer timeout of its own, so it is the connection closing that fails it.
    const behind = capture(client.cluster.request(0, 'ListOffsets', latestOffsetOf('orders'), { timeoutMs: 10_000 }))

    const timedOut = await stuck
    const elapsedMs = performance.now() - started
    expect(timedOut.status === 'rejected' && timedOut.reason).toBeInstanceOf(RequestTimeoutError)
    expect(timedOut).toMatchObject({ reason: { retriable: true, api: 'ListOffsets', broker: fake.address } })
    // Timers may fire up to a millisecond early against performance.now().
    expect(elapsedMs).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 2)
    const failed = await behind
    expect(failed.status === 'rejected' && failed.reason).toBeInstanceOf(ConnectionError)
    expect(failed.status === 'rejected' && failed.reason).not.toBeInstanceOf(RequestTimeoutError)
    await eventually('the client to close the timed-out connection', () => fake.openConnections === 0)

    const response = await client.cluster.request(0, 'ListOffsets', latestOffsetOf('orders'))
    expect(response.topics[0]?.partitions[0]?.offset).toBe(0n)
    expect(fake.connections).toBe(2)
  })

  it('honours a per-request timeout shorter than requestTimeoutMs', async () => {
    const fake = await harness.broker()
    const connection = harness.connection(fake, { requestTimeoutMs: 30_000 })
    await connection.connect()
    fake.onRequest('Metadata', () => ({ noAnswer: true }), { once: true })

    const outcome = await capture(connection.request('Metadata', metadataFor('orders'), { timeoutMs: 100 }))

    expect(outcome.status === 'rejected' && outcome.reason).toBeInstanceOf(RequestTimeoutError)
    expect(connection.isClosed).toBe(true)
  })
})
