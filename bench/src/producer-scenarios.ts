/**
 * What the producer benchmark measures (issue "[5 of 7] @kafkit/producer"):
 * the scenarios, the record values both clients send, and the shape of one
 * run's result as a child process reports it.
 */
import { createRandom } from './random.js'

export type ClientName = 'kafkit' | 'kafkajs'
export type Compression = 'none' | 'lz4'

export interface Scenario {
  id: string
  records: number
  recordBytes: number
  acks: -1 | 1
  idempotent: boolean
  compression: Compression
}

/** The four scenarios of the issue, at full size; `scale` shrinks the record counts for a quick run. */
export function scenarios(scale: number): Scenario[] {
  const big = Math.max(1, Math.round(1_000_000 * scale))
  const small = Math.max(1, Math.round(5_000_000 * scale))
  return [
    {
      id: '1KiB-acks-all-idempotent',
      records: big,
      recordBytes: 1024,
      acks: -1,
      idempotent: true,
      compression: 'none',
    },
    {
      id: '1KiB-acks-all-idempotent-lz4',
      records: big,
      recordBytes: 1024,
      acks: -1,
      idempotent: true,
      compression: 'lz4',
    },
    { id: '100B-acks-1', records: small, recordBytes: 100, acks: 1, idempotent: false, compression: 'none' },
    { id: '100B-acks-1-lz4', records: small, recordBytes: 100, acks: 1, idempotent: false, compression: 'lz4' },
  ]
}

/** What the parent hands a child: one client, one scenario, one topic. */
export interface RunConfig {
  client: ClientName
  scenario: Scenario
  topic: string
  brokers: string[]
  /** Records sent (and acknowledged) before the clock starts, to warm up the JIT and connections. */
  warmupRecords: number
  /** kafkajs: messages per send() call and send() calls in flight. */
  kafkajsPerSend: number
  kafkajsInFlight: number
  /** kafkit: producer batch size, linger, requests in flight per broker and request size. */
  kafkitBatchBytes: number
  kafkitLingerMs: number
  kafkitMaxInFlight: number
  kafkitMaxRequestBytes: number
}

/** What a child reports: the measured phase only. */
export interface RunResult {
  client: ClientName
  scenario: string
  records: number
  acknowledged: number
  failed: number
  firstError?: string
  seconds: number
  /** User + system CPU of the client process during the measured phase. */
  cpuSeconds: number
  /** User + system CPU of the client process over its whole life (start-up, warm-up and close included). */
  processCpuSeconds: number
}

const WORDS = [
  'order',
  'customer',
  'shipped',
  'pending',
  'amount',
  'currency',
  'EUR',
  'warehouse',
  'berlin',
  'lisbon',
  'quantity',
  'sku',
  'status',
  'created',
  'updated',
  'priority',
]

/**
 * Record values of `bytes` each: text of words and digits, which lz4 shrinks
 * to about half, like typical JSON events (random bytes would not compress,
 * and a repeated byte would compress absurdly well). A pool of distinct values
 * is reused so that building them costs nothing during the run.
 */
export function recordValues(bytes: number, count = 1024): Buffer[] {
  const random = createRandom(0x5eed)
  const values: Buffer[] = []
  for (let i = 0; i < count; i++) {
    let text = ''
    while (text.length < bytes) {
      text += `${WORDS[Math.floor(random() * WORDS.length)]}=${Math.floor(random() * 1_000_000)} `
    }
    values.push(Buffer.from(text.slice(0, bytes), 'latin1'))
  }
  return values
}
