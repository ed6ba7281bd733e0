/**
 * kafkajs 2.x, driven through the internal modules its producer and consumer
 * use: `requests/produce/v7` (the newest Produce version it speaks, which
 * builds each partition's batch with `recordBatch/v0` and `recordBatch/record/v0`),
 * `protocol/request` (size + header framing), and `recordBatch/v0/decoder` for
 * Fetch data. kafkajs is CommonJS without types for these modules, so each is
 * loaded with `require` and given the narrow type used here.
 */
import { createRequire } from 'node:module'
import { type BenchRecord, COMPRESSION_IDS, touch } from '../fixtures.js'
import { registerKafkajsCodecs } from './kafkajs-codecs.js'
import { CLIENT_ID, type CodecPeer, type Crc32cImplementation, TOPIC } from './peer.js'

interface Encoder {
  readonly buffer: Buffer
}

interface KafkajsMessage {
  key: Buffer
  value: Buffer
  timestamp: number
}

interface RecordInput {
  key: Buffer
  value: Buffer
  offsetDelta: number
  timestampDelta: number
}

interface RecordBatchInput {
  compression: number
  records: Encoder[]
  firstTimestamp: number
  maxTimestamp: number
  lastOffsetDelta: number
}

interface DecodedBatch {
  records: { key: Buffer | null; value: Buffer | null }[]
}

interface ProduceRequest {
  apiKey: number
  apiVersion: number
  encode(): Promise<Encoder>
}

interface ProduceRequestInput {
  acks: number
  timeout: number
  compression: number
  topicData: { topic: string; partitions: { partition: number; messages: KafkajsMessage[] }[] }[]
}

const require = createRequire(import.meta.url)
const Decoder = require('kafkajs/src/protocol/decoder') as new (buffer: Buffer) => object
const Record = require('kafkajs/src/protocol/recordBatch/record/v0') as (input: RecordInput) => Encoder
const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0') as {
  RecordBatch: (input: RecordBatchInput) => Promise<Encoder>
}
const decodeRecordBatch = require('kafkajs/src/protocol/recordBatch/v0/decoder') as (
  decoder: object,
) => Promise<DecodedBatch>
const produceV7 = require('kafkajs/src/protocol/requests/produce/v7/request') as (
  input: ProduceRequestInput,
) => ProduceRequest
const encodeRequest = require('kafkajs/src/protocol/request') as (input: {
  correlationId: number
  clientId: string
  request: ProduceRequest
}) => Promise<Encoder>
const crc32cTable = require('kafkajs/src/protocol/recordBatch/crc32C') as (buffer: Buffer) => number

function messages(records: readonly BenchRecord[]): KafkajsMessage[] {
  return records.map((r) => ({ key: r.key, value: r.value, timestamp: r.timestamp }))
}

/** What kafkajs's produce request encoder (`partitionsEncoder`) does for one partition. */
async function encodeBatch(input: readonly KafkajsMessage[], compression: number): Promise<Buffer> {
  const firstTimestamp = input[0]!.timestamp
  const records = input.map((m, i) =>
    Record({ key: m.key, value: m.value, offsetDelta: i, timestampDelta: m.timestamp - firstTimestamp }),
  )
  const batch = await RecordBatch({
    compression,
    records,
    firstTimestamp,
    maxTimestamp: input[input.length - 1]!.timestamp,
    lastOffsetDelta: records.length - 1,
  })
  return batch.buffer
}

async function decodeBatch(batch: Buffer): Promise<number> {
  const decoded = await decodeRecordBatch(new Decoder(batch))
  let sum = 0
  for (const record of decoded.records) sum += touch(record.key, record.value)
  return sum
}

async function encodeProduceRequest(input: ProduceRequestInput): Promise<Buffer> {
  const frame = await encodeRequest({ correlationId: 1, clientId: CLIENT_ID, request: produceV7(input) })
  return frame.buffer
}

export function createKafkajsPeer(): CodecPeer {
  registerKafkajsCodecs()
  return {
    name: 'kafkajs',
    family: 'kafkajs',
    produceVersion: 7,
    unsupported: () => undefined,
    encodeBatch(records, compression) {
      const input = messages(records)
      const id = COMPRESSION_IDS[compression]
      return () => encodeBatch(input, id)
    },
    decodeBatch: (batch) => () => decodeBatch(batch),
    encodeProduceRequest(partitions) {
      const input: ProduceRequestInput = {
        acks: -1,
        timeout: 30_000,
        compression: 0,
        topicData: [
          {
            topic: TOPIC,
            partitions: partitions.map((records, partition) => ({ partition, messages: messages(records) })),
          },
        ],
      }
      return () => encodeProduceRequest(input)
    },
  }
}

export const kafkajsCrc32c: Crc32cImplementation = {
  name: 'kafkajs (JS, byte-wise table)',
  family: 'kafkajs',
  crc32c: crc32cTable,
}
