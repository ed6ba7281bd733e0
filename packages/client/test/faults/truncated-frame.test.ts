import { describe, expect, it } from 'vitest'
import { ConnectionError } from '../../src/errors.js'
import { rejectionOf } from '../support/eventually.js'
import { useFaultHarness } from '../support/fault-harness.js'
import { metadataFor } from '../support/requests.js'

/**
 * The broker announces a frame, sends fewer bytes than it promised and closes
 * the connection: the request fails with a ConnectionError (the frame never
 * completed, so there is nothing to decode), and the connection is finished.
 */
describe('a frame cut short by the broker closing the connection', () => {
  const harness = useFaultHarness()

  it('fails the request with a ConnectionError and closes the connection', async () => {
    const fake = await harness.broker()
    const connection = harness.connection(fake)
    await connection.connect()
    fake.onRequest('Metadata', () => ({ truncatedFrame: true }), { once: true })

    const error = await rejectionOf(connection.request('Metadata', metadataFor('orders')))

    expect(error).toBeInstanceOf(ConnectionError)
    expect(error).toMatchObject({ retriable: true, broker: fake.address, api: 'Metadata' })
    expect(connection.isClosed).toBe(true)
    expect(await rejectionOf(connection.request('Metadata', metadataFor('orders')))).toBeInstanceOf(ConnectionError)
    expect(fake.received('Metadata')).toHaveLength(1)
  })
})
