import { readFileSync } from 'node:fs'
import type { DescribeConfigsResponseDescribeConfigsResourceResult } from '@kafkit/protocol'
import { describe, expect, it } from 'vitest'
import { BROKER_CONFIGS } from '../src/embedded/state/configs/broker-config-definitions.js'
import { invalidValue, javaDouble, normalizedValue } from '../src/embedded/state/configs/config-definitions.js'
import { TOPIC_CONFIGS } from '../src/embedded/state/configs/topic-config-definitions.js'
import { BROKER, createTopic, describeConfigs, TOPIC, useAdminCluster } from './support/admin.js'

type Entry = Pick<
  DescribeConfigsResponseDescribeConfigsResourceResult,
  'name' | 'value' | 'readOnly' | 'configSource' | 'isSensitive' | 'configType' | 'synonyms'
>

/**
 * Real Kafka 4.1.1's answers for a fresh topic, broker 1 and the cluster
 * default (see the fixture's source field; capture-describe-configs.ts
 * refreshes it).
 */
const kafka411 = JSON.parse(
  readFileSync(new URL('./fixtures/kafka-4.1.1-describe-configs.json', import.meta.url), 'utf8'),
) as { topic: Entry[]; broker: Entry[]; clusterDefault: Entry[] }

const STATIC_BROKER_CONFIG = 4

/**
 * An entry as it would read without server.properties: the jar harness sets
 * some broker configs there, and the embedded broker's start options play that
 * part, so static values are compared through what they would fall back to.
 */
function withoutStatic({ name, readOnly, isSensitive, configType, synonyms }: Entry): Entry {
  const rest = synonyms
    .filter((synonym) => synonym.source !== STATIC_BROKER_CONFIG)
    .map(({ name, value, source }) => ({ name, value, source }))
  const first = rest.find((synonym) => synonym.name === name)
  return {
    name,
    value: first?.value ?? null,
    readOnly,
    configSource: rest[0]?.source ?? 5,
    isSensitive,
    configType,
    synonyms: rest,
  }
}

const cluster = useAdminCluster({ brokers: 1 })

describe("the embedded broker's config definitions match Kafka 4.1.1", () => {
  it('describes a fresh topic exactly as Kafka does', async () => {
    await createTopic(cluster.client, 'fresh-topic')
    const ours = await describeConfigs(cluster.client, 1, TOPIC, 'fresh-topic')
    const sorted = (entries: Entry[]) => [...entries].sort((a, b) => (a.name < b.name ? -1 : 1)).map(withoutStatic)
    expect(sorted(ours.configs)).toEqual(sorted(kafka411.topic))
    // Values Kafka reports with no synonym at all (retention.ms, segment.ms) are the topic defaults themselves.
    for (const entry of kafka411.topic) expect(TOPIC_CONFIGS.get(entry.name)?.defaultValue).toBeDefined()
  })

  it('describes every broker config it knows as Kafka does', async () => {
    const real = new Map(kafka411.broker.map((entry) => [entry.name, withoutStatic(entry)]))
    const ours = await describeConfigs(cluster.client, 1, BROKER, '1')
    for (const entry of ours.configs) {
      expect(real.has(entry.name), `${entry.name} is a Kafka 4.1.1 broker config`).toBe(true)
      expect(withoutStatic(entry), entry.name).toEqual(real.get(entry.name))
    }
    expect(ours.configs.map((entry) => entry.name).sort()).toEqual([...BROKER_CONFIGS.keys()].sort())
  })

  it('starts with the cluster-wide min.insync.replicas Kafka writes when ELR is on', async () => {
    const ours = await describeConfigs(cluster.client, 1, BROKER, '')
    expect(ours.configs.map(withoutStatic)).toEqual(kafka411.clusterDefault.map(withoutStatic))
  })
})

describe('config values are parsed and checked as ConfigDef does', () => {
  const topic = (name: string) => TOPIC_CONFIGS.get(name)!

  it('trims and normalizes what it stores', () => {
    expect(normalizedValue(topic('retention.ms'), ' +5 ')).toBe('5')
    expect(normalizedValue(topic('unclean.leader.election.enable'), 'TRUE')).toBe('true')
    expect(normalizedValue(topic('cleanup.policy'), ' compact ,  delete ')).toBe('compact,delete')
    expect(normalizedValue(topic('min.cleanable.dirty.ratio'), '1e-1')).toBe('0.1')
    expect(normalizedValue(topic('flush.messages'), '9223372036854775807')).toBe('9223372036854775807')
  })

  it('renders doubles as Java does', () => {
    expect([0.5, 1, 0, 12345678.5, 0.0001, -2].map(javaDouble)).toEqual([
      '0.5',
      '1.0',
      '0.0',
      '1.23456785E7',
      '1.0E-4',
      '-2.0',
    ])
  })

  it('words rejections as Kafka does', () => {
    expect(invalidValue(topic('max.message.bytes'), '99999999999')).toBe(
      'Invalid value 99999999999 for configuration max.message.bytes: Not a number of type INT',
    )
    expect(invalidValue(topic('preallocate'), 'yes')).toBe(
      'Invalid value yes for configuration preallocate: Expected value to be either true or false',
    )
    expect(invalidValue(topic('min.cleanable.dirty.ratio'), '-0.5')).toBe(
      'Invalid value -0.5 for configuration min.cleanable.dirty.ratio: Value must be at least 0',
    )
    expect(invalidValue(topic('compression.lz4.level'), '20')).toBe(
      'Invalid value 20 for configuration compression.lz4.level: Value must be no more than 17',
    )
    expect(invalidValue(topic('compression.gzip.level'), '0')).toBe(
      'Invalid value 0 for configuration compression.gzip.level: Value must be between 1 and 9 or equal to -1',
    )
    expect(invalidValue(topic('message.timestamp.type'), 'createtime')).toBe(
      'Invalid value createtime for configuration message.timestamp.type: String must be one of: CreateTime, LogAppendTime',
    )
    expect(invalidValue(topic('cleanup.policy'), 'compact,,delete')).toBe(
      'Invalid value  for configuration cleanup.policy: String must be one of: compact, delete',
    )
    expect(invalidValue(topic('leader.replication.throttled.replicas'), '0:1,x')).toMatch(
      /^Invalid value \[0:1, x\] for configuration leader.replication.throttled.replicas: .* must be the literal '\*'/,
    )
    expect(invalidValue(topic('cleanup.policy'), '')).toBeUndefined()
    expect(invalidValue(topic('leader.replication.throttled.replicas'), '*')).toBeUndefined()
  })
})
