/**
 * kafkit through the calls its producer and consumer make: `encodeRecordBatch`
 * (asynchronous, so compression runs on libuv's thread pool), `decodeRecordBatch`
 * (which verifies the CRC, as Java's `check.crcs` does by default), and
 * `encodeRequestFrame` for the Produce request.
 */
import { type BenchRecord, COMPRESSION_IDS, type CompressionName, touch } from '../fixtures.js'
import {
  crc32c,
  crc32cImplementation,
  crc32cJs,
  decodeRecordBatch,
  encodeRecordBatch,
  encodeRecordBatchSync,
  encodeRequestFrame,
  ProduceApi,
  type ProduceRequest,
  type RecordInput,
  ZERO_UUID,
} from '../kafkit.js'
import { CLIENT_ID, type CodecPeer, type Crc32cImplementation, TOPIC } from './peer.js'

export const KAFKIT_PRODUCE_VERSION = 11

/** kafkit's RecordInput has the fixtures' shape; a copy keeps the peers' inputs independent. */
function inputs(records: readonly BenchRecord[]): RecordInput[] {
  return records.map((r) => ({ key: r.key, value: r.value, timestamp: r.timestamp }))
}

async function decodeBatch(batch: Buffer, verifyCrc: boolean): Promise<number> {
  const decoded = await decodeRecordBatch(batch, { verifyCrc })
  let sum = 0
  for (const record of decoded.records) sum += touch(record.key, record.value)
  return sum
}

async function encodeProduceRequest(partitions: readonly RecordInput[][]): Promise<Buffer> {
  const batches = await Promise.all(partitions.map((records) => encodeRecordBatch({ records })))
  let sizeHint = 256
  for (const batch of batches) sizeHint += batch.length + 16
  const request: ProduceRequest = {
    transactionalId: null,
    acks: -1,
    timeoutMs: 30_000,
    topicData: [
      {
        name: TOPIC,
        topicId: ZERO_UUID,
        partitionData: batches.map((records, index) => ({ index, records })),
      },
    ],
  }
  return encodeRequestFrame(ProduceApi, KAFKIT_PRODUCE_VERSION, request, {
    correlationId: 1,
    clientId: CLIENT_ID,
    sizeHint,
  })
}

export interface KafkitVariant {
  /** Build batches with the synchronous codecs (zstd has none). */
  sync?: boolean
  /** Skip the CRC check when decoding, as kafkajs and @platformatic/kafka always do. */
  skipCrcCheck?: boolean
}

export function createKafkitPeer(variant: KafkitVariant = {}): CodecPeer {
  const label = [variant.sync ? 'sync' : '', variant.skipCrcCheck ? 'no CRC check' : ''].filter(Boolean).join(', ')
  return {
    name: label === '' ? 'kafkit' : `kafkit (${label})`,
    family: 'kafkit',
    variant: label !== '',
    produceVersion: KAFKIT_PRODUCE_VERSION,
    unsupported: (compression) =>
      variant.sync && compression === 'zstd' ? 'kafkit has no synchronous zstd codec' : undefined,
    encodeBatch(records, compression: CompressionName) {
      const options = { records: inputs(records), compression: COMPRESSION_IDS[compression] }
      return variant.sync ? () => encodeRecordBatchSync(options) : () => encodeRecordBatch(options)
    },
    decodeBatch: (batch) => () => decodeBatch(batch, !variant.skipCrcCheck),
    encodeProduceRequest(partitions) {
      const input = partitions.map(inputs)
      return () => encodeProduceRequest(input)
    },
  }
}

export const kafkitCrc32c: Crc32cImplementation[] = [
  {
    name: `kafkit crc32c (default: ${crc32cImplementation}, JS below 128 B)`,
    family: 'kafkit',
    crc32c: (data) => crc32c(data),
  },
  { name: 'kafkit crc32cJs (JS slice-by-8)', family: 'kafkit', variant: true, crc32c: (data) => crc32cJs(data) },
]
