/**
 * Checks, before anything is timed, that every client produced or read the
 * same thing: a benchmark of a codec that silently does less work is worthless.
 * kafkit's decoders are the referee; kafkit's own output is checked against
 * the fixtures, and against what the peers decode, so a kafkit bug shows too.
 */
import { type BenchRecord, COMPRESSION_IDS, type CompressionName, expectedTouch, touch } from './fixtures.js'
import { decodeRecordBatch, decodeRequestBody, decodeRequestFrameHeader, type ProduceRequest } from './kafkit.js'

const ATTRIBUTES_OFFSET = 21

export class VerificationError extends Error {}

function check(condition: boolean, message: string): void {
  if (!condition) throw new VerificationError(message)
}

/** `batch` holds exactly `records` (keys, values, timestamps), compressed with `compression`. */
export async function verifyBatch(
  client: string,
  batch: Buffer,
  records: readonly BenchRecord[],
  compression: CompressionName,
): Promise<void> {
  const what = `${client}'s ${compression} batch`
  check((batch.readInt16BE(ATTRIBUTES_OFFSET) & 7) === COMPRESSION_IDS[compression], `${what} has the wrong codec id`)
  const decoded = await decodeRecordBatch(batch)
  check(decoded.records.length === records.length, `${what} has ${decoded.records.length} records`)
  let sum = 0
  decoded.records.forEach((record, i) => {
    sum += touch(record.key, record.value)
    check(record.timestamp === records[i]!.timestamp, `${what}: record ${i} has timestamp ${record.timestamp}`)
    check(record.value?.equals(records[i]!.value) === true, `${what}: record ${i} has a different value`)
  })
  check(sum === expectedTouch(records), `${what} decodes to different keys or values`)
}

export function verifyDecoded(client: string, touched: unknown, records: readonly BenchRecord[]): void {
  check(touched === expectedTouch(records), `${client} decoded ${String(touched)}, expected ${expectedTouch(records)}`)
}

/** `frame` is a Produce request of `version` with one batch per partition holding that partition's records. */
export async function verifyProduceFrame(
  client: string,
  frame: Buffer,
  version: number,
  partitions: readonly (readonly BenchRecord[])[],
): Promise<void> {
  check(frame.readInt32BE(0) === frame.length - 4, `${client}'s Produce frame has a wrong size prefix`)
  const decoded = decodeRequestFrameHeader(frame.subarray(4))
  check(
    decoded.header.requestApiVersion === version,
    `${client}'s Produce request is v${decoded.header.requestApiVersion}`,
  )
  const request = decodeRequestBody(decoded) as ProduceRequest
  const data = request.topicData[0]?.partitionData ?? []
  check(data.length === partitions.length, `${client}'s Produce request has ${data.length} partitions`)
  for (const partition of data) {
    const records = partitions[partition.index]
    check(records !== undefined && partition.records !== null, `${client}: bad partition ${partition.index}`)
    await verifyBatch(client, partition.records!, records!, 'none')
  }
}
