/**
 * One Produce request for 100 partitions of one topic, each partition an
 * uncompressed batch of 10 records of 1 KiB (about 1 MiB of records): the
 * records are encoded into batches and the batches framed into one request,
 * header and size prefix included, as a producer's sender does per broker.
 * Each client writes the newest Produce version it speaks (kafkajs v7,
 * kafkit and @platformatic/kafka v11); v7 and v11 differ by a few bytes per
 * partition (compact lengths, tagged fields), not in the batches.
 */
import { type BenchmarkCase, type BenchmarkGroup, caseOf } from '../benchmark.js'
import { type BenchRecord, makeRecords, payloadBytes } from '../fixtures.js'
import type { Client } from '../peers/peer.js'
import { verifyProduceFrame } from '../verify.js'

export const PARTITIONS = 100
export const RECORDS_PER_PARTITION = 10

export function producePartitions(valueBytes: number): BenchRecord[][] {
  const partitions: BenchRecord[][] = []
  for (let p = 0; p < PARTITIONS; p++) partitions.push(makeRecords(RECORDS_PER_PARTITION, valueBytes, 1000 + p))
  return partitions
}

export async function produceRequestGroup(clients: Client[], partitions: BenchRecord[][]): Promise<BenchmarkGroup> {
  const cases: BenchmarkCase[] = []
  for (const peer of clients) {
    if ('skipped' in peer) {
      cases.push({ ...caseOf(peer), skipped: peer.skipped })
      continue
    }
    const operation = peer.encodeProduceRequest(partitions)
    const frame = await operation()
    await verifyProduceFrame(peer.name, frame, peer.produceVersion, partitions)
    cases.push({ ...caseOf(peer, `${peer.name} (v${peer.produceVersion})`), operation, outputBytes: frame.length })
  }
  return {
    id: 'produce-100-partitions',
    title: `Produce request, ${PARTITIONS} partitions × ${RECORDS_PER_PARTITION} × 1 KiB, none`,
    payloadBytes: partitions.reduce((total, records) => total + payloadBytes(records), 0),
    cases,
  }
}
