/**
 * The records every peer encodes: deterministic (a seeded generator, so every
 * run and every peer sees the same bytes) and about as compressible as typical
 * JSON events, so the compression benchmarks are neither trivially
 * compressible (all zeros) nor incompressible (random bytes).
 */

export interface BenchRecord {
  key: Buffer
  value: Buffer
  /** Milliseconds since the epoch; fixed so no peer pays for `Date.now()` differently. */
  timestamp: number
}

export const COMPRESSIONS = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const
export type CompressionName = (typeof COMPRESSIONS)[number]

/** Kafka's compression ids, as stored in a batch's attributes. */
export const COMPRESSION_IDS = { none: 0, gzip: 1, snappy: 2, lz4: 3, zstd: 4 } as const satisfies Record<
  CompressionName,
  number
>

const BASE_TIMESTAMP = 1_735_689_600_000 // 2025-01-01T00:00:00Z

/** mulberry32: a tiny, good-enough PRNG; benchmarks need repeatability, not quality. */
function prng(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) | 0
    let t = Math.imul(state ^ (state >>> 15), 1 | state)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function vocabulary(random: () => number, size: number): string[] {
  const letters = 'abcdefghijklmnopqrstuvwxyz'
  const words: string[] = []
  for (let i = 0; i < size; i++) {
    let word = ''
    const length = 3 + Math.floor(random() * 8)
    for (let j = 0; j < length; j++) word += letters[Math.floor(random() * letters.length)]
    words.push(word)
  }
  return words
}

function jsonEvent(random: () => number, words: string[], index: number, bytes: number): Buffer {
  const pick = () => words[Math.floor(random() * words.length)]!
  let text = `{"id":${index},"user":"user-${Math.floor(random() * 100_000)}","event":"${pick()}","amount":${(random() * 1000).toFixed(2)},"tags":[`
  while (text.length < bytes) text += `"${pick()}",`
  return Buffer.from(`${text.slice(0, bytes - 2)}]}`, 'latin1')
}

/** `count` records with 12-byte keys and `valueBytes`-byte values, one millisecond apart. */
export function makeRecords(count: number, valueBytes: number, seed = 42): BenchRecord[] {
  const random = prng(seed)
  const words = vocabulary(random, 512)
  const records: BenchRecord[] = []
  for (let i = 0; i < count; i++) {
    records.push({
      key: Buffer.from(`key-${String(i).padStart(8, '0')}`, 'latin1'),
      value: jsonEvent(random, words, i, valueBytes),
      timestamp: BASE_TIMESTAMP + i,
    })
  }
  return records
}

/** Bytes of user data (keys and values) in `records`: the "MB" of MB/s. */
export function payloadBytes(records: readonly BenchRecord[]): number {
  let total = 0
  for (const record of records) total += record.key.length + record.value.length
  return total
}

/** What a decoder hands back: proof it read every record's key and value. */
export function touch(key: Uint8Array | null, value: Uint8Array | null): number {
  let sum = 0
  if (key !== null) sum += key.length + key[key.length - 1]!
  if (value !== null) sum += value.length + value[0]! + value[value.length - 1]!
  return sum
}

/** The checksum `touch` gives over a whole set of records, to check each decoder against. */
export function expectedTouch(records: readonly BenchRecord[]): number {
  let sum = 0
  for (const record of records) sum += touch(record.key, record.value)
  return sum
}
