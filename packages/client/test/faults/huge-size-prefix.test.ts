import { ProtocolError } from '@kafkit/protocol'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { eventually, rejectionOf } from '../support/eventually.js'
import { useFaultHarness } from '../support/fault-harness.js'
import { metadataFor } from '../support/requests.js'

const TWO_GB = 0x7fffffff

/**
 * A size prefix of 2 GB (a broken or hostile peer, or a TLS port spoken to in
 * plaintext) is refused as soon as it is read: the request fails with a
 * ProtocolError and the client closes the connection, without allocating a
 * buffer for a frame it will never accept.
 */
describe('a response with a 2 GB size prefix', () => {
  const harness = useFaultHarness()
  afterEach(() => {
    vi.restoreAllMocks()
  })

  it('fails with a ProtocolError and closes the connection without allocating the frame', async () => {
    const fake = await harness.broker()
    const connection = harness.connection(fake)
    await connection.connect()
    fake.onRequest('Metadata', () => ({ hugeSizePrefix: true }), { once: true })
    const allocations: number[] = []
    for (const method of ['alloc', 'allocUnsafe', 'allocUnsafeSlow'] as const) {
      const original = Buffer[method]
      vi.spyOn(Buffer, method).mockImplementation(((size: number, ...rest: unknown[]) => {
        allocations.push(size)
        return (original as (...args: unknown[]) => Buffer).call(Buffer, size, ...rest)
      }) as typeof original)
    }

    const error = await rejectionOf(connection.request('Metadata', metadataFor('orders')))

    expect(error).toBeInstanceOf(ProtocolError)
    expect((error as Error).message).toContain(String(TWO_GB))
    expect(connection.isClosed).toBe(true)
    // The fake sent the prefix and then kept quiet with its socket open: closing was the client's doing.
    await eventually('the client to close the connection', () => fake.openConnections === 0)
    // The spies saw the client at work (encoding the request), and nothing near the announced size.
    expect(allocations.length).toBeGreaterThan(0)
    expect(Math.max(...allocations)).toBeLessThan(1024 * 1024)
  })
})
