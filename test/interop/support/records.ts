import { defaultPartition } from '@kafkit/protocol'

/** A record a test produces, and what every consumer must read back. */
export interface TestRecord {
  /** Position in the produced sequence; the value starts with `<tag>:<index>:` so a consumer can find it. */
  readonly index: number
  readonly key: Buffer | null
  readonly value: Buffer
  readonly headers: readonly (readonly [string, Buffer])[]
  /** CreateTime in ms, set by the producer. */
  readonly timestamp: number
  /** The partition it must land in: given explicitly, or murmur2 of the key; undefined leaves it to the client. */
  readonly partition: number | undefined
}

/** A record as a consumer returned it. */
export interface ReceivedRecord {
  readonly partition: number
  readonly offset: bigint
  readonly key: Buffer | null
  readonly value: Buffer | null
  readonly headers: readonly (readonly [string, Buffer])[]
  readonly timestamp: number
}

export interface RecordSetOptions {
  /** Tag in every value, so records of different tests never mix. */
  tag: string
  count: number
  partitions: number
  /**
   * First CreateTime; record i gets `baseTimestamp + i`. Default: ten minutes
   * ago. Not a fixed date: a record older than retention.ms (7 days) may be
   * deleted as soon as the broker checks retention.
   */
  baseTimestamp?: number
  /** How records pick a partition: by murmur2 of the key (the Java default partitioner), or round-robin by index. */
  partitioning?: 'key' | 'explicit'
}

const FILLER = 'the quick brown fox jumps over the lazy dog; '

/**
 * Records with every shape a client must carry: keys and no key, no headers,
 * several headers (one with bytes that are not UTF-8, one empty), empty and
 * multi-KiB values that compress well, distinct timestamps.
 */
export function makeRecords(options: RecordSetOptions): TestRecord[] {
  const baseTimestamp = options.baseTimestamp ?? Date.now() - 600_000
  return Array.from({ length: options.count }, (_, index) => {
    const keyed = index % 5 !== 0
    const key = keyed ? Buffer.from(`key-${index % 17}`) : null
    const size = index % 50 === 7 ? 4096 : index % 3 === 0 ? 0 : 20 + (index % 90)
    const value = Buffer.from(
      `${options.tag}:${index}:${FILLER.repeat(Math.ceil(size / FILLER.length)).slice(0, size)}`,
    )
    const headers: (readonly [string, Buffer])[] = []
    if (index % 4 === 1) headers.push(['trace-id', Buffer.from(`trace-${index}`)])
    if (index % 4 === 2) {
      headers.push(['trace-id', Buffer.from(`trace-${index}`)])
      headers.push(['binary', Buffer.from([0x00, 0xff, 0xfe, index & 0xff])])
      headers.push(['empty', Buffer.alloc(0)])
    }
    const partition =
      options.partitioning === 'explicit'
        ? index % options.partitions
        : key
          ? defaultPartition(key, options.partitions)
          : undefined
    return { index, key, value, headers, timestamp: baseTimestamp + index, partition }
  })
}

/** The index a value carries (`<tag>:<index>:...`), or undefined when it is not one of this tag's records. */
export function indexOf(tag: string, value: Buffer | null): number | undefined {
  if (!value) return undefined
  const text = value.toString('latin1', 0, Math.min(value.length, tag.length + 12))
  if (!text.startsWith(`${tag}:`)) return undefined
  const index = Number.parseInt(text.slice(tag.length + 1), 10)
  return Number.isInteger(index) ? index : undefined
}

export interface CheckOptions {
  tag: string
  /** Check timestamps equal the produced ones (false: the producer set its own, e.g. kcat). */
  timestamps?: boolean
  /** Check headers (false for clients that set their own). */
  headers?: boolean
}

/**
 * Every way `received` can differ from `expected`, as readable lines (empty
 * when they match): a record missing, duplicated or unknown; a key, value,
 * header or timestamp changed; a keyed record in the wrong partition; offsets
 * or send order going backwards within a partition.
 */
export function recordProblems(
  expected: readonly TestRecord[],
  received: readonly ReceivedRecord[],
  options: CheckOptions,
): string[] {
  const problems: string[] = []
  const seen = new Map<number, ReceivedRecord>()
  const lastByPartition = new Map<number, { offset: bigint; index: number }>()
  for (const record of received) {
    const where = `partition ${record.partition} offset ${record.offset}`
    const index = indexOf(options.tag, record.value)
    const want = index === undefined ? undefined : expected[index]
    if (index === undefined || !want) {
      problems.push(`${where}: a record that was not produced (value ${preview(record.value)})`)
      continue
    }
    if (seen.has(index)) problems.push(`${where}: record ${index} again (first at offset ${seen.get(index)!.offset})`)
    seen.set(index, record)
    const last = lastByPartition.get(record.partition)
    if (last && record.offset <= last.offset)
      problems.push(`${where}: offset not above the previous one (${last.offset})`)
    if (last && index <= last.index)
      problems.push(`${where}: record ${index} after record ${last.index}: send order lost in the partition`)
    lastByPartition.set(record.partition, { offset: record.offset, index })
    if (want.partition !== undefined && want.partition !== record.partition)
      problems.push(`${where}: record ${index} belongs in partition ${want.partition}`)
    if (!sameBytes(want.key, record.key))
      problems.push(`${where}: record ${index} key ${preview(record.key)}, produced ${preview(want.key)}`)
    if (!sameBytes(want.value, record.value))
      problems.push(`${where}: record ${index} value ${preview(record.value)}, produced ${preview(want.value)}`)
    if (options.headers !== false && headerText(record.headers) !== headerText(want.headers))
      problems.push(
        `${where}: record ${index} headers ${headerText(record.headers)}, produced ${headerText(want.headers)}`,
      )
    if (options.timestamps !== false && record.timestamp !== want.timestamp)
      problems.push(`${where}: record ${index} timestamp ${record.timestamp}, produced ${want.timestamp}`)
  }
  for (const want of expected) if (!seen.has(want.index)) problems.push(`record ${want.index} was not read back`)
  return problems.length > 20 ? [...problems.slice(0, 20), `... and ${problems.length - 20} more`] : problems
}

/** Offsets must run without gaps from the first one read in each partition (no compaction, no transactions). */
export function offsetGaps(received: readonly ReceivedRecord[]): string[] {
  const byPartition = new Map<number, bigint[]>()
  for (const record of received) {
    const offsets = byPartition.get(record.partition) ?? []
    offsets.push(record.offset)
    byPartition.set(record.partition, offsets)
  }
  const gaps: string[] = []
  for (const [partition, offsets] of byPartition) {
    offsets.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    for (let i = 1; i < offsets.length; i++)
      if (offsets[i] !== offsets[i - 1]! + 1n) gaps.push(`partition ${partition}: ${offsets[i - 1]} then ${offsets[i]}`)
  }
  return gaps
}

/** Records per partition. */
export function countByPartition(records: readonly { partition: number }[]): Map<number, number> {
  const counts = new Map<number, number>()
  for (const { partition } of records) counts.set(partition, (counts.get(partition) ?? 0) + 1)
  return counts
}

function sameBytes(a: Buffer | null, b: Buffer | null): boolean {
  if (a === null || b === null) return a === b
  return a.equals(b)
}

function headerText(headers: readonly (readonly [string, Buffer])[]): string {
  return JSON.stringify(headers.map(([key, value]) => [key, value.toString('hex')]))
}

function preview(bytes: Buffer | null): string {
  if (bytes === null) return 'null'
  const text = bytes.toString('latin1', 0, 40)
  return JSON.stringify(bytes.length > 40 ? `${text}...(${bytes.length} B)` : text)
}
