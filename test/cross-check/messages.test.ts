import { beforeAll, describe, expect, it } from 'vitest'
import type { MessageCodec } from '../../packages/protocol/src/codec-support.js'
import * as generated from '../../packages/protocol/src/generated/index.js'
import { Reader } from '../../packages/protocol/src/primitives/reader.js'
import { Writer } from '../../packages/protocol/src/primitives/writer.js'
import {
  loadModels,
  type SampleOptions,
  sampleMessage,
  versionsOf,
} from '../../packages/protocol/test/support/sample-messages.js'
import {
  type EncodeRequest,
  isJavaFailure,
  javaEncode,
  javaReferenceAvailability,
} from '../reference/java-reference.js'
import { toKafkaJson } from './kafka-json-sample.js'

/**
 * The Java client's own generated message classes (kafka-clients 4.1.1) write
 * populated messages in every valid version of every spec in the folder
 * (requests, responses, headers, consumer-protocol data); kafkit's codec must
 * decode each to the same message and re-encode it byte for byte.
 */
const REQUIRED_APIS = [
  'Produce',
  'Fetch',
  'ListOffsets',
  'Metadata',
  'OffsetCommit',
  'OffsetFetch',
  'FindCoordinator',
  'JoinGroup',
  'Heartbeat',
  'LeaveGroup',
  'SyncGroup',
  'DescribeGroups',
  'ListGroups',
  'SaslHandshake',
  'SaslAuthenticate',
  'ApiVersions',
  'CreateTopics',
  'DeleteTopics',
  'CreatePartitions',
  'DeleteRecords',
  'InitProducerId',
  'AddPartitionsToTxn',
  'AddOffsetsToTxn',
  'EndTxn',
  'TxnOffsetCommit',
  'DescribeConfigs',
  'IncrementalAlterConfigs',
  'DescribeCluster',
  'ConsumerGroupHeartbeat',
  'ConsumerGroupDescribe',
]
const VARIANTS: [string, SampleOptions][] = [
  ['every field set', { nulls: false, unknownTags: false }],
  ['nullable fields null', { nulls: true, unknownTags: false }],
  ['unknown tagged fields', { nulls: false, unknownTags: true }],
]

const availability = await javaReferenceAvailability()
if (!availability.available) console.warn(`skipped: ${availability.reason}`)

const { models } = loadModels()
const codecs = generated as unknown as Record<string, MessageCodec<unknown>>

interface Case {
  message: string
  version: number
  variant: string
  sample: Record<string, unknown>
  request: EncodeRequest
}

function buildCases(): Case[] {
  const names = models.filter((m) => versionsOf(m).length > 0).map((m) => m.name)
  const cases: Case[] = []
  for (const name of names) {
    const model = models.find((m) => m.name === name)
    if (!model) throw new Error(`no spec for ${name}`)
    for (const version of versionsOf(model)) {
      for (const [variant, options] of VARIANTS) {
        const sample = sampleMessage(model, version, options)
        const { json, unknownTaggedFields } = toKafkaJson(model, version, sample)
        cases.push({
          message: name,
          version,
          variant,
          sample,
          request: { message: name, version, json, unknownTaggedFields },
        })
      }
    }
  }
  return cases
}

describe.skipIf(!availability.available)('the codec against the Java client', () => {
  const cases = buildCases()
  let javaBytes: Uint8Array[] = []

  beforeAll(async () => {
    const outcomes = await javaEncode(cases.map((c) => c.request))
    const failures = outcomes.flatMap((outcome, i) =>
      isJavaFailure(outcome)
        ? [`${cases[i]!.message} v${cases[i]!.version} (${cases[i]!.variant}): ${outcome.error}`]
        : [],
    )
    expect(failures).toEqual([])
    javaBytes = outcomes.map((outcome) => (isJavaFailure(outcome) ? new Uint8Array() : outcome.bytes))
  }, 300_000)

  it('covers every message with valid versions, the required APIs in both directions among them', () => {
    const covered = new Set(cases.map((c) => c.message))
    expect(covered.size).toBe(models.filter((m) => versionsOf(m).length > 0).length)
    for (const api of REQUIRED_APIS) {
      expect(covered).toContain(`${api}Request`)
      expect(covered).toContain(`${api}Response`)
    }
    expect(cases.length).toBeGreaterThan(1500)
  })

  it('decodes what Java wrote to the same message and re-encodes it byte for byte', () => {
    const mismatches: string[] = []
    cases.forEach((c, i) => {
      const label = `${c.message} v${c.version} (${c.variant})`
      const bytes = Buffer.from(javaBytes[i]!)
      const codec = codecs[`${c.message}Codec`]!
      const reader = new Reader(bytes)
      const decoded = codec.decode(reader, c.version)
      expect(reader.remaining, `${label}: bytes left`).toBe(0)
      expect(decoded, label).toEqual(c.sample)
      const w = new Writer()
      codec.encode(w, c.version, decoded)
      if (!Buffer.from(w.bytes()).equals(bytes)) mismatches.push(label)
    })
    expect(mismatches).toEqual([])
  })

  it('writes the same bytes as Java for the same message', () => {
    const mismatches: string[] = []
    cases.forEach((c, i) => {
      const w = new Writer()
      codecs[`${c.message}Codec`]!.encode(w, c.version, c.sample)
      if (!Buffer.from(w.bytes()).equals(Buffer.from(javaBytes[i]!)))
        mismatches.push(`${c.message} v${c.version} (${c.variant})`)
    })
    expect(mismatches).toEqual([])
  })
})
