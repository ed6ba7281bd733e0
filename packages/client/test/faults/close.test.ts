import { describe, expect, it } from 'vitest'
import { ConnectionError } from '../../src/errors.js'
import { capture, eventually, rejectionOf, settledWithin } from '../support/eventually.js'
import { useFaultHarness } from '../support/fault-harness.js'
import { metadataFor } from '../support/requests.js'

/**
 * close() stops taking requests, lets the ones in flight finish for up to its
 * timeout, then closes the socket and fails what is left. It is idempotent,
 * and every request made after it fails at once.
 */
describe('closing a connection or a client', () => {
  const harness = useFaultHarness()

  it('waits for the requests in flight to be answered', async () => {
    const fake = await harness.broker()
    const connection = harness.connection(fake)
    await connection.connect()
    fake.onRequest('Metadata', () => ({ delayMs: 100 }), { once: true })
    const inFlight = capture(connection.request('Metadata', metadataFor('orders')))
    await eventually('the request to reach the broker', () => fake.received('Metadata').length === 1)

    await connection.close(10_000)

    const outcome = await inFlight
    expect(outcome.status).toBe('fulfilled')
    expect(outcome.status === 'fulfilled' && outcome.value.topics.map((t) => t.name)).toEqual(['orders'])
    expect(connection.isClosed).toBe(true)
    await eventually('the socket to close', () => fake.openConnections === 0)
  })

  it('gives up on the requests still unanswered at its timeout and fails them', async () => {
    const fake = await harness.broker()
    const connection = harness.connection(fake)
    await connection.connect()
    fake.onRequest('Metadata', () => ({ noAnswer: true }), { once: true })
    const inFlight = capture(connection.request('Metadata', metadataFor('orders')))
    await eventually('the request to reach the broker', () => fake.received('Metadata').length === 1)

    const started = performance.now()
    await connection.close(100)

    expect(performance.now() - started).toBeGreaterThanOrEqual(98)
    const outcome = await inFlight
    expect(outcome.status === 'rejected' && outcome.reason).toBeInstanceOf(ConnectionError)
    await eventually('the socket to close', () => fake.openConnections === 0)
  })

  it('is idempotent and fails every later request with a ConnectionError', async () => {
    const fake = await harness.broker()
    const connection = harness.connection(fake)
    await connection.connect()

    await Promise.all([connection.close(), connection.close()])
    await connection.close()

    expect(await rejectionOf(connection.request('Metadata', metadataFor('orders')))).toBeInstanceOf(ConnectionError)
    expect(await rejectionOf(connection.connect())).toBeInstanceOf(ConnectionError)
    expect(fake.received('Metadata')).toHaveLength(0)
  })

  it('fails a request made in the same turn as close() instead of leaving it pending', async () => {
    const fake = await harness.broker()
    const connection = harness.connection(fake)
    await connection.connect()

    const late = capture(connection.request('Metadata', metadataFor('orders')))
    await connection.close()

    const outcome = await settledWithin('the request made just before close()', late, 2000)
    expect(outcome.status === 'rejected' && outcome.reason).toBeInstanceOf(ConnectionError)
  })

  it('closes a client idempotently; its later requests fail', async () => {
    const fake = await harness.broker({ topics: { orders: 1 } })
    const client = harness.client(fake)
    await client.connect()

    await Promise.all([client.close(), client.close()])
    await client.close()

    await eventually('the client to close its connection', () => fake.openConnections === 0)
    const error = await rejectionOf(client.cluster.requestAny('Metadata', metadataFor('orders')))
    expect((error as Error).message).toMatch(/closed/)
    expect(fake.connections).toBe(1)
  })

  it('opens no connection for a request that was waiting out a reconnect backoff when the client closed', async () => {
    const fake = await harness.broker({ topics: { orders: 1 } })
    const client = harness.client(fake, { reconnectBackoffMs: 300, reconnectBackoffMaxMs: 300 })
    await client.connect()
    // The connection drops, and the attempt to replace it fails, so the next one must wait out the backoff.
    fake.onRequest('Metadata', () => ({ closeConnection: true }), { once: true })
    fake.onRequest('ApiVersions', () => ({ closeConnection: true }), { once: true })
    expect(await rejectionOf(client.cluster.request(0, 'Metadata', metadataFor('orders')))).toBeInstanceOf(
      ConnectionError,
    )
    expect(await rejectionOf(client.cluster.request(0, 'Metadata', metadataFor('orders')))).toBeInstanceOf(
      ConnectionError,
    )
    expect(fake.connections).toBe(2)

    // Reaches the pool's backoff wait synchronously.
    const waiting = capture(client.cluster.request(0, 'Metadata', metadataFor('orders')))
    await client.close()

    const outcome = await settledWithin('the request that was waiting to reconnect', waiting, 2000)
    expect(outcome.status).toBe('rejected')
    expect(fake.connections).toBe(2)
  })
})
