import {
  CompressionType,
  CRC_OFFSET,
  compressionName,
  computeBatchCrc,
  decodeRecordBatches,
  LAST_OFFSET_DELTA_OFFSET,
  MAGIC_OFFSET,
  RECORD_COUNT_OFFSET,
  TimestampType,
  ZERO_UUID,
} from '@kafkit/protocol'
import { describe, expect, it } from 'vitest'
import {
  batch,
  decoded,
  deferred,
  fetch,
  fetchBody,
  only,
  produce,
  produceBody,
  records,
  values,
} from './support/data-requests.js'
import { NODE, useSingleBroker } from './support/single-broker.js'

const CORRUPT_MESSAGE = 2
const UNKNOWN_TOPIC_OR_PARTITION = 3
const MESSAGE_TOO_LARGE = 10
const INVALID_TOPIC_EXCEPTION = 17
const INVALID_REQUIRED_ACKS = 21
const INVALID_TIMESTAMP = 32
const UNSUPPORTED_COMPRESSION_TYPE = 76
const INVALID_RECORD = 87
const UNKNOWN_TOPIC_ID = 100

const broker = useSingleBroker('produce')
const topic = (configs: Record<string, string> = {}): string => broker.topic(1, configs)

async function fetchAll(name: string, from = 0n) {
  return only(await fetch(broker.client, NODE, fetchBody([{ topic: name, partition: 0, offset: from }])))
}

describe('producing and fetching back', () => {
  const codecs = [
    CompressionType.None,
    CompressionType.Gzip,
    CompressionType.Snappy,
    CompressionType.Lz4,
    CompressionType.Zstd,
  ]
  it.each(codecs.map((c) => [compressionName(c), c] as const))('round-trips a %s batch', async (_name, compression) => {
    const name = topic()
    const input = records(3, true).map((r, i) => ({ ...r, headers: [{ key: 'h', value: Buffer.from(`x${i}`) }] }))
    const first = await produce(broker.client, NODE, name, 0, await batch(input, { compression }))
    expect(first).toMatchObject({ errorCode: 0, baseOffset: 0n, logAppendTimeMs: -1n, logStartOffset: 0n })
    const second = await produce(broker.client, NODE, name, 0, await batch(records(2), { compression }))
    expect(second.baseOffset).toBe(3n)
    const data = await fetchAll(name)
    expect(data).toMatchObject({ errorCode: 0, highWatermark: 5n, lastStableOffset: 5n, logStartOffset: 0n })
    const batches = await decodeRecordBatches(data.records!)
    expect(batches.map((b) => b.compression)).toEqual([compression, compression])
    const all = batches.flatMap((b) => b.records)
    expect(all.map((r) => r.offset)).toEqual([0n, 1n, 2n, 3n, 4n])
    expect(values(all)).toEqual(['v0', 'v1', 'v2', 'v0', 'v1'])
    expect(all[1]!.key?.toString()).toBe('k1')
    expect(all[2]!.headers).toEqual([{ key: 'h', value: Buffer.from('x2') }])
  })

  it('stores a compressed batch in the topic’s compression.type, recompressing it', async () => {
    const name = topic({ 'compression.type': 'gzip' })
    await produce(broker.client, NODE, name, 0, await batch(records(4), { compression: CompressionType.Lz4 }))
    const [stored] = await decodeRecordBatches((await fetchAll(name)).records!)
    expect(stored!.compression).toBe(CompressionType.Gzip)
    expect(values(stored!.records)).toEqual(['v0', 'v1', 'v2', 'v3'])
  })

  it('answers acks=0 with nothing, and appends all the same', async () => {
    const name = topic()
    const connection = await broker.client.cluster.connectionTo(NODE, 'acks0')
    await connection.send('Produce', produceBody(name, 0, await batch(records(2)), { acks: 0 }), { version: 12 })
    // A long poll that needs the two records returns once they are there.
    const response = await fetch(
      broker.client,
      NODE,
      fetchBody([{ topic: name, partition: 0, offset: 0n }], { maxWaitMs: 30_000, minBytes: 1 }),
    )
    expect(values(await decoded(only(response)))).toEqual(['v0', 'v1'])
  })

  it('closes the connection of an acks=0 produce that fails, so the producer notices', async () => {
    const closed = deferred<string>()
    const stop = broker.client.on('disconnect', (event) => closed.resolve(event.reason))
    try {
      const connection = await broker.client.cluster.connectionTo(NODE, 'acks0-failing')
      const body = produceBody('no-such-topic', 0, await batch(records(1)), { acks: 0 })
      await connection.send('Produce', body, { version: 12 })
      await closed.promise
      expect(connection.isClosed).toBe(true)
    } finally {
      stop()
    }
  })

  it('rejects acks other than 0, 1 and -1', async () => {
    const answer = await produce(broker.client, NODE, topic(), 0, await batch(records(1)), { acks: 2 })
    expect(answer).toMatchObject({ errorCode: INVALID_REQUIRED_ACKS, baseOffset: -1n })
  })
})

describe('timestamps', () => {
  it('stamps batches with the append time on a LogAppendTime topic and reports it', async () => {
    const name = topic({ 'message.timestamp.type': 'LogAppendTime' })
    const before = Date.now()
    const answer = await produce(
      broker.client,
      NODE,
      name,
      0,
      await batch(records(2).map((r) => ({ ...r, timestamp: 5 }))),
    )
    const after = Date.now()
    expect(answer.errorCode).toBe(0)
    expect(Number(answer.logAppendTimeMs)).toBeGreaterThanOrEqual(before)
    expect(Number(answer.logAppendTimeMs)).toBeLessThanOrEqual(after)
    // Decoding checks the CRC, which the broker recomputed after rewriting the header.
    const [stored] = await decodeRecordBatches((await fetchAll(name)).records!)
    expect(stored!.timestampType).toBe(TimestampType.LogAppendTime)
    expect(stored!.maxTimestamp).toBe(Number(answer.logAppendTimeMs))
    expect(stored!.records.map((r) => r.timestamp)).toEqual([stored!.maxTimestamp, stored!.maxTimestamp])
  })

  it('keeps create times, with the largest as the batch max timestamp', async () => {
    const name = topic()
    await produce(
      broker.client,
      NODE,
      name,
      0,
      await batch(records(3).map((r, i) => ({ ...r, timestamp: [30, 10, 20][i] }))),
    )
    const [stored] = await decodeRecordBatches((await fetchAll(name)).records!)
    expect(stored!.timestampType).toBe(TimestampType.CreateTime)
    expect(stored!.records.map((r) => r.timestamp)).toEqual([30, 10, 20])
    expect(stored!.maxTimestamp).toBe(30)
  })

  it('rejects create times more than message.timestamp.after.max.ms ahead, naming the record', async () => {
    const name = topic()
    const input = [{ value: Buffer.from('ok') }, { value: Buffer.from('late'), timestamp: Date.now() + 2 * 3_600_000 }]
    const answer = await produce(broker.client, NODE, name, 0, await batch(input))
    expect(answer.errorCode).toBe(INVALID_TIMESTAMP)
    expect(answer.recordErrors.map((e) => e.batchIndex)).toEqual([1])
    expect(answer.logStartOffset).toBe(0n)
  })
})

describe('batch validation', () => {
  it('rejects a batch larger than max.message.bytes with MESSAGE_TOO_LARGE', async () => {
    const name = topic({ 'max.message.bytes': '200' })
    const answer = await produce(broker.client, NODE, name, 0, await batch([{ value: Buffer.alloc(300) }]))
    expect(answer).toMatchObject({ errorCode: MESSAGE_TOO_LARGE, baseOffset: -1n, logStartOffset: -1n })
    expect((await produce(broker.client, NODE, name, 0, await batch([{ value: Buffer.alloc(10) }]))).errorCode).toBe(0)
  })

  it('rejects a batch whose CRC does not match with CORRUPT_MESSAGE', async () => {
    const bytes = await batch(records(2))
    bytes.writeUInt32BE((bytes.readUInt32BE(CRC_OFFSET) ^ 1) >>> 0, CRC_OFFSET)
    expect((await produce(broker.client, NODE, topic(), 0, bytes)).errorCode).toBe(CORRUPT_MESSAGE)
  })

  it('rejects batches of another magic, a non-zero base offset and two batches with INVALID_RECORD', async () => {
    const name = topic()
    const legacy = await batch(records(1))
    legacy.writeInt8(1, MAGIC_OFFSET)
    expect((await produce(broker.client, NODE, name, 0, legacy)).errorCode).toBe(INVALID_RECORD)
    expect((await produce(broker.client, NODE, name, 0, await batch(records(1), { baseOffset: 7n }))).errorCode).toBe(
      INVALID_RECORD,
    )
    const two = Buffer.concat([await batch(records(1)), await batch(records(1))])
    expect((await produce(broker.client, NODE, name, 0, two)).errorCode).toBe(INVALID_RECORD)
    expect((await fetchAll(name)).highWatermark).toBe(0n)
  })

  it('rejects a batch whose record count disagrees with its records', async () => {
    const bytes = await batch(records(2))
    // Claim three records: the header stays consistent (and its CRC right), the records section does not.
    bytes.writeInt32BE(2, LAST_OFFSET_DELTA_OFFSET)
    bytes.writeInt32BE(3, RECORD_COUNT_OFFSET)
    bytes.writeUInt32BE(computeBatchCrc(bytes), CRC_OFFSET)
    expect((await produce(broker.client, NODE, topic(), 0, bytes)).errorCode).toBe(INVALID_RECORD)
  })

  it('rejects keyless records on a compacted topic, listing each one', async () => {
    const name = topic({ 'cleanup.policy': 'compact' })
    const input = [{ key: Buffer.from('a'), value: Buffer.from('1') }, { value: Buffer.from('2') }]
    const answer = await produce(broker.client, NODE, name, 0, await batch(input))
    expect(answer.errorCode).toBe(INVALID_RECORD)
    expect(answer.recordErrors).toEqual([{ batchIndex: 1, batchIndexErrorMessage: expect.stringContaining('key') }])
    expect(answer.errorMessage).toContain('1 record errors')
  })

  it('rejects zstd below Produce v7', async () => {
    const bytes = await batch(records(1), { compression: CompressionType.Zstd })
    expect((await produce(broker.client, NODE, topic(), 0, bytes, { version: 6 })).errorCode).toBe(
      UNSUPPORTED_COMPRESSION_TYPE,
    )
  })

  it('refuses writes to internal topics', async () => {
    broker.kafka.control.state.createTopic('__internal_test', 1, 1)
    const answer = await produce(broker.client, NODE, '__internal_test', 0, await batch(records(1)))
    expect(answer.errorCode).toBe(INVALID_TOPIC_EXCEPTION)
  })
})

describe('topics by name and by id', () => {
  it('answers UNKNOWN_TOPIC_OR_PARTITION for an unknown topic or partition', async () => {
    expect((await produce(broker.client, NODE, 'missing-topic', 0, await batch(records(1)))).errorCode).toBe(
      UNKNOWN_TOPIC_OR_PARTITION,
    )
    expect((await produce(broker.client, NODE, topic(), 5, await batch(records(1)))).errorCode).toBe(
      UNKNOWN_TOPIC_OR_PARTITION,
    )
  })

  it('takes topic ids from v13 and answers UNKNOWN_TOPIC_ID for an unknown one', async () => {
    const name = topic()
    const topicId = broker.kafka.control.state.topics.get(name)!.topicId
    const response = await broker.client.cluster.request(
      NODE,
      'Produce',
      produceBody('', 0, await batch(records(1)), { topicId }),
      {
        version: 13,
      },
    )
    expect(response.responses[0]).toMatchObject({ topicId, partitionResponses: [{ errorCode: 0, baseOffset: 0n }] })
    const unknown = await produce(broker.client, NODE, '', 0, await batch(records(1)), {
      version: 13,
      topicId: '8Q5AVAgsSbqEcMHmYzhVTQ',
    })
    expect(unknown.errorCode).toBe(UNKNOWN_TOPIC_ID)
    expect(ZERO_UUID).not.toBe(topicId)
  })
})
