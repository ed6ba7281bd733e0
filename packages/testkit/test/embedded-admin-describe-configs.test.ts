import { describe, expect, it } from 'vitest'
import { topicConfigValue } from '../src/embedded/state/configs/topic-config.js'
import { BROKER, byName, createTopic, describeConfigs, freshTopic, TOPIC, useAdminCluster } from './support/admin.js'

// Start options that a real broker would have in server.properties: they come back as static configs.
const cluster = useAdminCluster({ defaultPartitions: 3, racks: ['a', 'b', 'c'] })

function topicState(name: string) {
  return cluster.kafka.control.state.topics.get(name)!
}

describe('DescribeConfigs of a topic', () => {
  it('lists every topic config with Kafka 4.1 defaults, sources, types and synonyms', async () => {
    const name = freshTopic()
    await createTopic(cluster.client, name)
    const result = await describeConfigs(cluster.client, 1, TOPIC, name)
    expect(result).toMatchObject({ errorCode: 0, errorMessage: '', resourceType: TOPIC, resourceName: name })
    const configs = byName(result)
    expect(configs.size).toBe(33)
    expect(configs.get('retention.ms')).toEqual({
      name: 'retention.ms',
      value: '604800000',
      readOnly: false,
      configSource: 5,
      isSensitive: false,
      // Kafka lists no synonym here: log.retention.ms has no value, and the hours it falls back to come after it.
      synonyms: [],
      configType: 5,
      documentation: null,
    })
    expect(configs.get('cleanup.policy')).toMatchObject({
      value: 'delete',
      configType: 7,
      synonyms: [{ name: 'log.cleanup.policy', value: 'delete', source: 5 }],
    })
    // With ELR on, Kafka keeps min.insync.replicas as a cluster-wide dynamic config.
    expect(configs.get('min.insync.replicas')).toMatchObject({
      value: '1',
      configSource: 3,
      synonyms: [
        { name: 'min.insync.replicas', value: '1', source: 3 },
        { name: 'min.insync.replicas', value: '1', source: 5 },
      ],
    })
    expect(configs.get('max.message.bytes')).toMatchObject({ value: '1048588', configType: 3 })
    expect(configs.get('min.cleanable.dirty.ratio')).toMatchObject({ value: '0.5', configType: 6 })
    expect(configs.get('message.timestamp.after.max.ms')?.value).toBe('3600000')
  })

  it('shows a value the topic sets as a topic config, normalized, above what it inherits', async () => {
    const name = freshTopic()
    await createTopic(cluster.client, name, {
      configs: [
        { name: 'cleanup.policy', value: 'compact, delete' },
        { name: 'unclean.leader.election.enable', value: 'TRUE' },
      ],
    })
    const configs = byName(await describeConfigs(cluster.client, 2, TOPIC, name))
    expect(configs.get('cleanup.policy')).toMatchObject({
      value: 'compact,delete',
      configSource: 1,
      synonyms: [
        { name: 'cleanup.policy', value: 'compact,delete', source: 1 },
        { name: 'log.cleanup.policy', value: 'delete', source: 5 },
      ],
    })
    expect(configs.get('unclean.leader.election.enable')).toMatchObject({ value: 'true', configSource: 1 })
    expect(topicConfigValue(cluster.kafka.control.state, topicState(name), 'cleanup.policy')).toBe('compact,delete')
  })

  it('narrows to the keys asked for, leaves synonyms out on request, and answers v1', async () => {
    const name = freshTopic()
    await createTopic(cluster.client, name)
    const keys = ['segment.bytes', 'no.such.config']
    const narrowed = await describeConfigs(cluster.client, 1, TOPIC, name, { keys, includeSynonyms: false })
    expect(narrowed.configs).toEqual([
      expect.objectContaining({ name: 'segment.bytes', value: '1073741824', synonyms: [] }),
    ])
    const v1 = await describeConfigs(cluster.client, 1, TOPIC, name, { keys: ['segment.bytes'], version: 1 })
    expect(v1.configs).toEqual([
      expect.objectContaining({
        value: '1073741824',
        synonyms: [{ name: 'log.segment.bytes', value: '1073741824', source: 5 }],
      }),
    ])
  })

  it('answers unknown and invalid topic names', async () => {
    expect(await describeConfigs(cluster.client, 1, TOPIC, 'never-created')).toMatchObject({
      errorCode: 3,
      configs: [],
    })
    const invalid = await describeConfigs(cluster.client, 1, TOPIC, 'no spaces')
    expect(invalid).toMatchObject({ errorCode: 17, errorMessage: expect.stringMatching(/^Topic name is invalid/) })
  })
})

describe('DescribeConfigs of a broker', () => {
  it('lists the broker configs, with start options as static configs', async () => {
    const configs = byName(await describeConfigs(cluster.client, 2, BROKER, '2'))
    expect(configs.get('broker.id')).toMatchObject({
      value: '2',
      configSource: 4,
      readOnly: true,
      synonyms: [
        { name: 'broker.id', value: '2', source: 4 },
        { name: 'broker.id', value: '-1', source: 5 },
      ],
    })
    expect(configs.get('broker.rack')).toMatchObject({ value: 'b', configSource: 4 })
    expect(configs.get('num.partitions')).toMatchObject({ value: '3', configSource: 4, readOnly: true })
    expect(configs.get('default.replication.factor')).toMatchObject({ value: '3', configSource: 4 })
    expect(configs.get('log.retention.hours')).toMatchObject({ value: '168', configSource: 5, readOnly: true })
    expect(configs.get('log.retention.ms')).toMatchObject({
      value: null,
      configSource: 5,
      readOnly: false,
      synonyms: [],
    })
    expect(configs.get('offsets.topic.replication.factor')).toMatchObject({ value: '3', configType: 4 })
  })

  it('describes the cluster default as its dynamic configs only, on any broker', async () => {
    const result = await describeConfigs(cluster.client, 3, BROKER, '')
    expect(result.configs).toEqual([
      expect.objectContaining({
        name: 'min.insync.replicas',
        value: '1',
        configSource: 3,
        synonyms: [{ name: 'min.insync.replicas', value: '1', source: 3 }],
      }),
    ])
  })

  it('must be asked of the broker it names', async () => {
    expect(await describeConfigs(cluster.client, 1, BROKER, '2')).toMatchObject({
      errorCode: 42,
      errorMessage: 'Unexpected broker id, expected 1 or empty string, but received 2',
    })
    expect(await describeConfigs(cluster.client, 1, BROKER, 'one')).toMatchObject({
      errorCode: 42,
      errorMessage: 'Broker id must be an integer, but it is: one',
    })
  })
})
