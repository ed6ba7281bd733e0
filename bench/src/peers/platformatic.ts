/**
 * @platformatic/kafka, driven through the functions its producer and consumer
 * use: `createRecordsBatch` (or its async twin, which its producer uses for
 * gzip only), `readRecordsBatch`, and `produceV11.createRequest` framed the way
 * its `Connection.send` frames a payload. It needs Node >= 22.22 or >= 24.6, so
 * this module is imported only on such a Node. Its snappy and lz4 are its own
 * WebAssembly builds and its zstd is node:zlib's, so compression costs differ
 * from kafkit's native libraries: that is part of what is measured.
 */
import {
  type CompressionAlgorithmValue,
  crc32c,
  createRecordsBatch,
  createRecordsBatchAsync,
  jsCRC32C,
  loadNativeCRC32C,
  type MessageRecord,
  produceV11,
  Reader,
  readRecordsBatch,
  Writer,
} from '@platformatic/kafka'
import { type BenchRecord, type CompressionName, touch } from '../fixtures.js'
import { CLIENT_ID, type CodecPeer, type Crc32cImplementation, TOPIC } from './peer.js'
import { PLATFORMATIC } from './platformatic-loader.js'

const PRODUCE_API_KEY = 0

function messages(records: readonly BenchRecord[], partition = 0): MessageRecord[] {
  return records.map((r) => ({ topic: TOPIC, partition, key: r.key, value: r.value, timestamp: BigInt(r.timestamp) }))
}

function decodeBatch(batch: Buffer): number {
  const decoded = readRecordsBatch(Reader.from(batch))
  let sum = 0
  for (const record of decoded.records) sum += touch(record.key, record.value)
  return sum
}

/** Size, request header v2 and payload, as `Connection.send` assembles them. */
function frame(payload: Writer): Buffer {
  return Writer.create()
    .appendInt16(PRODUCE_API_KEY)
    .appendInt16(produceV11.api.version)
    .appendInt32(1)
    .appendString(CLIENT_ID, false)
    .appendTaggedFields()
    .appendFrom(payload)
    .prependLength().buffer
}

export function createPlatformaticPeer(): CodecPeer {
  return {
    name: PLATFORMATIC,
    family: PLATFORMATIC,
    produceVersion: produceV11.api.version,
    unsupported: () => undefined,
    encodeBatch(records, compression: CompressionName) {
      const input = messages(records)
      const options = { compression: compression as CompressionAlgorithmValue }
      if (compression === 'gzip') return async () => (await createRecordsBatchAsync(input, options)).buffer
      return () => createRecordsBatch(input, options).buffer
    },
    decodeBatch: (batch) => () => decodeBatch(batch),
    encodeProduceRequest(partitions) {
      const input = partitions.flatMap((records, partition) => messages(records, partition))
      return () => frame(produceV11.createRequest(-1, 30_000, input, { compression: 'none' }))
    },
  }
}

export const platformaticCrc32c: Crc32cImplementation[] = [
  {
    name: `${PLATFORMATIC} crc32c (default: ${loadNativeCRC32C() === null ? 'WebAssembly' : '@node-rs/crc32'})`,
    family: PLATFORMATIC,
    crc32c: (data) => crc32c(data),
  },
  {
    name: `${PLATFORMATIC} jsCRC32C (JS, byte-wise table)`,
    family: PLATFORMATIC,
    variant: true,
    crc32c: (data) => jsCRC32C(data),
  },
]
