import type { BatchRecordInput } from '../../reference/java-reference.js'
import { seededRandom } from './java.js'

export const T0 = 1_700_000_000_000

const utf8 = (text: string) => Buffer.from(text, 'utf8')

/** Records without headers, for legacy message sets (which have none). */
export function plainRecords(): BatchRecordInput[] {
  const random = seededRandom(7)
  const noise = Buffer.from(Array.from({ length: 1000 }, () => random() & 0xff))
  return [
    { timestamp: T0, key: utf8('k1'), value: utf8('v1') },
    { timestamp: T0 + 7, key: null, value: utf8('no key') },
    { timestamp: T0 - 500, key: utf8('tombstone'), value: null }, // before the first: a negative delta
    { timestamp: T0 + 1, key: Buffer.alloc(0), value: Buffer.alloc(0) },
    // Larger than an lz4 block (64 KiB) and a xerial snappy block (32 KiB), so both split.
    { timestamp: T0 + 2, key: noise, value: utf8('compressible kafkit payload '.repeat(5000)) },
  ]
}

export function recordsWithHeaders(): BatchRecordInput[] {
  return [
    ...plainRecords(),
    {
      timestamp: T0 + 3,
      key: utf8('h'),
      value: utf8('with headers'),
      headers: [
        { key: 'trace', value: utf8('a') },
        { key: 'trace', value: utf8('b') },
        { key: 'nullable', value: null },
        { key: 'ünïcødé ✓', value: Buffer.alloc(0) },
      ],
    },
  ]
}
