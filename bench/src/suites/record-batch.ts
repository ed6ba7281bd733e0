/**
 * Encode and decode of one 1 MiB batch (1024 records, 1 KiB values, 12-byte
 * keys) with each compression. Every decoder reads the same bytes: the batch
 * kafkit encodes, which the verification step has already shown every peer's
 * decoder reads back exactly.
 */
import { type BenchmarkCase, type BenchmarkGroup, caseOf } from '../benchmark.js'
import { type BenchRecord, COMPRESSION_IDS, COMPRESSIONS, type CompressionName, payloadBytes } from '../fixtures.js'
import { encodeRecordBatch } from '../kafkit.js'
import type { Client } from '../peers/peer.js'
import { verifyBatch, verifyDecoded } from '../verify.js'

export interface RecordBatchClients {
  /** kafkit's default path first: the baseline. */
  encoders: Client[]
  decoders: Client[]
}

async function encodeCase(
  peer: Client,
  records: readonly BenchRecord[],
  compression: CompressionName,
): Promise<BenchmarkCase> {
  if ('skipped' in peer) return { ...caseOf(peer), skipped: peer.skipped }
  const reason = peer.unsupported(compression)
  if (reason !== undefined) return { ...caseOf(peer), skipped: reason }
  const operation = peer.encodeBatch(records, compression)
  const batch = await operation()
  await verifyBatch(peer.name, batch, records, compression)
  return { ...caseOf(peer), operation, outputBytes: batch.length }
}

async function decodeCase(
  peer: Client,
  batch: Buffer,
  records: readonly BenchRecord[],
  compression: CompressionName,
): Promise<BenchmarkCase> {
  if ('skipped' in peer) return { ...caseOf(peer), skipped: peer.skipped }
  const reason = peer.unsupported(compression)
  if (reason !== undefined) return { ...caseOf(peer), skipped: reason }
  const operation = peer.decodeBatch(batch)
  verifyDecoded(`${peer.name} (${compression})`, await operation(), records)
  return { ...caseOf(peer), operation, outputBytes: batch.length }
}

export async function recordBatchGroups(
  clients: RecordBatchClients,
  records: readonly BenchRecord[],
): Promise<BenchmarkGroup[]> {
  const groups: BenchmarkGroup[] = []
  const bytes = payloadBytes(records)
  for (const compression of COMPRESSIONS) {
    const encode: BenchmarkCase[] = []
    for (const peer of clients.encoders) encode.push(await encodeCase(peer, records, compression))
    groups.push({
      id: `encode-${compression}`,
      title: `encode 1 MiB batch, ${compression}`,
      payloadBytes: bytes,
      cases: encode,
    })

    const batch = await encodeRecordBatch({ records, compression: COMPRESSION_IDS[compression] })
    const decode: BenchmarkCase[] = []
    for (const peer of clients.decoders) decode.push(await decodeCase(peer, batch, records, compression))
    groups.push({
      id: `decode-${compression}`,
      title: `decode 1 MiB batch, ${compression}`,
      payloadBytes: bytes,
      cases: decode,
    })
  }
  return groups
}
