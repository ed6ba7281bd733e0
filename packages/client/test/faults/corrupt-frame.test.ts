import { Apis, KafkaError, ProtocolError, Writer } from '@kafkit/protocol'
import { describe, expect, it } from 'vitest'
import { capture, eventually, rejectionOf } from '../support/eventually.js'
import { useFaultHarness } from '../support/fault-harness.js'
import { metadataFor } from '../support/requests.js'

/**
 * Bad bytes from the network fail the connection with a ProtocolError: a
 * complete frame, matched to its request by correlation id, whose body does
 * not decode. The client closes the connection itself; nothing hangs.
 */
describe('a response frame whose body does not decode', () => {
  const harness = useFaultHarness()

  it('fails the request with a ProtocolError and closes the connection', async () => {
    const fake = await harness.broker()
    const connection = harness.connection(fake)
    await connection.connect()
    fake.onRequest('Metadata', () => ({ corruptFrame: true }), { once: true })

    const corrupted = capture(connection.request('Metadata', metadataFor('first')))
    const bystander = capture(connection.request('Metadata', metadataFor('second')))

    const outcome = await corrupted
    expect(outcome.status === 'rejected' && outcome.reason).toBeInstanceOf(ProtocolError)
    expect(connection.isClosed).toBe(true)
    // The fake keeps its end open: the client is the one that closed the connection.
    await eventually('the client to close the connection', () => fake.openConnections === 0)
    // The request behind it fails too (whichever typed error), rather than waiting for a response that cannot come.
    const behind = await bystander
    expect(behind.status === 'rejected' && behind.reason).toBeInstanceOf(KafkaError)
    expect(await rejectionOf(connection.request('Metadata', metadataFor('third')))).toBeInstanceOf(KafkaError)
  })

  it('fails with a ProtocolError when a valid body is followed by stray bytes', async () => {
    const fake = await harness.broker()
    const connection = harness.connection(fake)
    await connection.connect()
    fake.onRequest(
      'Metadata',
      (request) => {
        const writer = new Writer()
        Apis.Metadata.response.encode(writer, request.version, Apis.Metadata.response.create({}))
        return { corruptFrame: Buffer.concat([writer.bytes(), Buffer.from([1, 2, 3])]) }
      },
      { once: true },
    )

    const error = await rejectionOf(connection.request('Metadata', metadataFor('first')))

    expect(error).toBeInstanceOf(ProtocolError)
    expect((error as Error).message).toMatch(/3 bytes after its body/)
    expect(connection.isClosed).toBe(true)
    await eventually('the client to close the connection', () => fake.openConnections === 0)
  })
})
