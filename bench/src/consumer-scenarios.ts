/**
 * What the consumer benchmark measures (issue "[6 of 7] @kafkit/consumer"):
 * how a child is configured, what it reports, and the tally every driver
 * feeds so that a run counts only if it saw exactly the records of the topic.
 */
export type ConsumerClient = 'kafkit' | 'kafkajs'
/** How the client hands out messages: run({ eachBatch }), run({ eachMessage }) or `for await`. */
export type ConsumeMode = 'eachBatch' | 'eachMessage' | 'iterator'

export interface ConsumerRunConfig {
  client: ConsumerClient
  mode: ConsumeMode
  topic: string
  groupId: string
  brokers: string[]
  /** Records of each partition (the topic's end offsets; it was filled once, from offset 0). */
  partitionRecords: number[]
  recordBytes: number
  /** Both clients: most bytes per Fetch and per partition in a Fetch (kafkit's maxBytes and maxPartitionFetchBytes). */
  maxBytes: number
  maxBytesPerPartition: number
  /** kafkit: maxPollRecords (how many records one eachBatch call gets at most). */
  maxPollRecords: number
}

export interface ConsumerRunResult {
  client: ConsumerClient
  mode: ConsumeMode
  records: number
  valueBytes: number
  /** Per partition: records seen and the last offset seen (-1 for none). */
  partitionCounts: number[]
  lastOffsets: number[]
  /** Set when offsets were not contiguous from 0 (a gap, a repeat, a message out of order). */
  firstError?: string
  /** From the first message handed out to the last expected one; joining the group is not measured. */
  seconds: number
  /** From subscribe/run until the first message (connecting, joining, the first Fetch). */
  firstMessageSeconds: number
  cpuSeconds: number
  /** The kernel's part of cpuSeconds (socket reads, mostly). */
  systemCpuSeconds: number
  processCpuSeconds: number
}

/**
 * Counts what a client hands out and checks offsets are contiguous per
 * partition. `onFirst` starts the clock; `done` resolves when every expected
 * record was seen.
 */
export class Tally {
  readonly counts: number[]
  readonly lastOffsets: number[]
  readonly expected: number
  records = 0
  valueBytes = 0
  firstError: string | undefined
  readonly done: Promise<void>
  #finish: () => void = () => {}
  #onFirst: () => void

  constructor(partitionRecords: number[], onFirst: () => void) {
    this.counts = partitionRecords.map(() => 0)
    this.lastOffsets = partitionRecords.map(() => -1)
    this.expected = partitionRecords.reduce((a, b) => a + b, 0)
    this.#onFirst = onFirst
    this.done = new Promise((resolve) => {
      this.#finish = resolve
    })
  }

  /** A batch as either client hands it out (kafkit's offsets are bigints, kafkajs's strings). */
  addBatch(partition: number, messages: { offset: bigint | string; value: Buffer | null }[]): void {
    if (messages.length === 0) return
    let bytes = 0
    for (const message of messages) bytes += message.value?.length ?? 0
    const first = Number(messages[0]!.offset)
    const last = Number(messages[messages.length - 1]!.offset)
    this.add(partition, first, last, messages.length, bytes)
  }

  /** A run of `count` contiguous messages of a partition, from `first` to `last`, holding `bytes` of values. */
  add(partition: number, first: number, last: number, count: number, bytes: number): void {
    if (this.records === 0) this.#onFirst()
    const previous = this.lastOffsets[partition]!
    if ((first !== previous + 1 || last - first + 1 !== count) && this.firstError === undefined) {
      this.firstError = `partition ${partition}: ${count} messages from ${first} to ${last} after offset ${previous}`
    }
    this.counts[partition]! += count
    this.lastOffsets[partition] = last
    this.records += count
    this.valueBytes += bytes
    if (this.records >= this.expected) this.#finish()
  }
}
