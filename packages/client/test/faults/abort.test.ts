import { describe, expect, it } from 'vitest'
import { AbortedError } from '../../src/errors.js'
import { capture, eventually, gate, rejectionOf } from '../support/eventually.js'
import { useFaultHarness } from '../support/fault-harness.js'
import { metadataFor } from '../support/requests.js'

/**
 * An AbortSignal cancels one request: it rejects with AbortedError at once.
 * A queued request is never sent; one already sent has its response read and
 * dropped, so the connection stays in step and usable for the next requests.
 */
describe('aborting a request', () => {
  const harness = useFaultHarness()

  it('rejects a queued request with AbortedError, never sends it, and keeps the connection usable', async () => {
    const fake = await harness.broker()
    const connection = harness.connection(fake, { maxInFlightRequests: 1 })
    await connection.connect()
    const held = gate()
    fake.onRequest('Metadata', async () => held.opened.then(() => undefined), { once: true })
    const first = capture(connection.request('Metadata', metadataFor('first')))
    const controller = new AbortController()
    const queued = capture(connection.request('Metadata', metadataFor('queued'), { signal: controller.signal }))
    await eventually('the first request to reach the broker', () => fake.received('Metadata').length === 1)

    controller.abort()

    // While the broker still holds the first request.
    const aborted = await queued
    expect(aborted.status === 'rejected' && aborted.reason).toBeInstanceOf(AbortedError)
    expect(aborted).toMatchObject({ reason: { retriable: false } })
    held.open()
    const answered = await first
    expect(answered.status === 'fulfilled' && answered.value.topics.map((t) => t.name)).toEqual(['first'])
    const next = await connection.request('Metadata', metadataFor('next'))
    expect(next.topics.map((t) => t.name)).toEqual(['next'])
    expect(fake.received('Metadata').map((request) => request.body.topics?.[0]?.name)).toEqual(['first', 'next'])
    expect(connection.isReady).toBe(true)
    expect(fake.connections).toBe(1)
  })

  it('rejects a request in flight at once, drops its late response, and answers the next request with its own', async () => {
    const fake = await harness.broker()
    const connection = harness.connection(fake)
    await connection.connect()
    const held = gate()
    fake.onRequest('Metadata', async () => held.opened.then(() => undefined), { once: true })
    const controller = new AbortController()
    const inFlight = capture(connection.request('Metadata', metadataFor('abandoned'), { signal: controller.signal }))
    await eventually('the request to reach the broker', () => fake.received('Metadata').length === 1)

    controller.abort(new Error('the caller lost interest'))

    const aborted = await inFlight
    expect(aborted.status === 'rejected' && aborted.reason).toBeInstanceOf(AbortedError)
    expect(aborted.status === 'rejected' && (aborted.reason as Error).message).toContain('the caller lost interest')
    held.open()
    // Sent after the abort, answered after the abandoned response: it must get its own.
    const next = await connection.request('Metadata', metadataFor('next'))
    expect(next.topics.map((t) => t.name)).toEqual(['next'])
    expect(connection.isReady).toBe(true)
    expect(fake.connections).toBe(1)
  })

  it('rejects at once when the signal is already aborted, without sending anything', async () => {
    const fake = await harness.broker()
    const connection = harness.connection(fake)
    await connection.connect()

    const error = await rejectionOf(
      connection.request('Metadata', metadataFor('orders'), { signal: AbortSignal.abort() }),
    )

    expect(error).toBeInstanceOf(AbortedError)
    expect(fake.received('Metadata')).toHaveLength(0)
    expect(connection.isReady).toBe(true)
  })
})
