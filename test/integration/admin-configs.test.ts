import { InvalidConfigError, InvalidMessageError, UnknownTopicOrPartitionError } from '@kafkit/protocol'
import { type Admin, ConfigResourceTypes, Kafka } from 'kafkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { partialFailure } from './support/partial-failure.js'
import { uniqueTopic, useTestCluster } from './support/test-cluster.js'
import { waitFor } from './support/wait-for.js'

/**
 * kafka-configs' commands as admin calls, against every broker target:
 * describe topic and broker configs (sources, synonyms, documentation),
 * incremental alter (set, delete, append, subtract; validateOnly) and the
 * legacy alter, including retention.ms and cleanup.policy=compact.
 */
const { cluster, skipReason } = await useTestCluster()

describe.skipIf(skipReason !== undefined)(`admin configs against the ${cluster?.target} target`, () => {
  let admin: Admin
  let brokerId: string
  beforeAll(async () => {
    admin = new Kafka({ clientId: 'admin-configs', brokers: cluster!.bootstrapServers }).admin()
    await admin.connect()
    brokerId = String(admin.client.cluster.metadata.brokers[0]!.nodeId)
  })
  afterAll(async () => {
    await admin?.disconnect()
  })

  async function topicConfig(topic: string, name: string) {
    const [described] = await admin.describeConfigs({
      resources: [{ type: 'topic', name: topic, configNames: [name] }],
      includeSynonyms: true,
    })
    expect(described!.configEntries).toHaveLength(1)
    return described!.configEntries[0]!
  }

  it('describes every config of a topic with its source (kafka-configs --describe --all)', async () => {
    const topic = uniqueTopic('describe')
    await admin.createTopics({ topics: [{ topic, configEntries: [{ name: 'retention.ms', value: '600000' }] }] })
    const [described] = await admin.describeConfigs({ resources: [{ type: ConfigResourceTypes.TOPIC, name: topic }] })
    expect(described).toMatchObject({ resourceType: 'topic', resourceName: topic })
    const byName = new Map(described!.configEntries.map((entry) => [entry.configName, entry]))
    expect(byName.get('retention.ms')).toMatchObject({
      configValue: '600000',
      configSource: 'DYNAMIC_TOPIC_CONFIG',
      isDefault: false,
      readOnly: false,
      isSensitive: false,
      configType: 'LONG',
      configSynonyms: [],
      documentation: null,
    })
    expect(byName.get('cleanup.policy')).toMatchObject({
      configValue: 'delete',
      configSource: 'DEFAULT_CONFIG',
      isDefault: true,
      configType: 'LIST',
    })
    expect(byName.size).toBeGreaterThan(20)
  })

  it('describes the synonyms of a config, most specific first, and its documentation when asked', async () => {
    const topic = uniqueTopic('synonyms')
    await admin.createTopics({ topics: [{ topic, configEntries: [{ name: 'retention.ms', value: '600000' }] }] })
    const entry = await topicConfig(topic, 'retention.ms')
    // Kafka 4.1.1 lists only the levels that set a value: here the topic itself.
    expect(entry.configSynonyms).toEqual([
      { configName: 'retention.ms', configValue: '600000', configSource: 'DYNAMIC_TOPIC_CONFIG' },
    ])

    const [documented] = await admin.describeConfigs({
      resources: [{ type: 'topic', name: topic, configNames: ['retention.ms'] }],
      includeDocumentation: true,
    })
    const documentation = documented!.configEntries[0]!.documentation
    if (cluster!.target === 'embedded') {
      // The embedded broker carries no config documentation (packages/testkit/SKIPPED.md).
      expect(documentation).toBeNull()
    } else {
      expect(documentation).toMatch(/retain/i)
    }
  })

  it("describes a broker's configs from that broker, and the cluster-wide defaults", async () => {
    const [broker] = await admin.describeConfigs({
      resources: [{ type: 'broker', name: brokerId, configNames: ['num.partitions', 'log.retention.hours'] }],
    })
    expect(broker).toMatchObject({ resourceType: 'broker', resourceName: brokerId })
    expect(broker!.configEntries.map((e) => e.configName).sort()).toEqual(['log.retention.hours', 'num.partitions'])
    expect(broker!.configEntries.find((e) => e.configName === 'log.retention.hours')).toMatchObject({
      configValue: '168',
      configType: 'INT',
    })
    const [defaults] = await admin.describeConfigs({ resources: [{ type: 'broker', name: '' }] })
    expect(defaults).toMatchObject({ resourceType: 'broker', resourceName: '' })
  })

  it('sets retention.ms and cleanup.policy=compact (kafka-configs --alter --add-config), then deletes one (--delete-config)', async () => {
    const topic = uniqueTopic('alter')
    await admin.createTopics({ topics: [{ topic }] })
    const altered = await admin.incrementalAlterConfigs({
      resources: [
        {
          type: 'topic',
          name: topic,
          configEntries: [
            { name: 'retention.ms', value: '86400000' },
            { name: 'cleanup.policy', value: 'compact', operation: 'set' },
          ],
        },
      ],
    })
    expect(altered).toEqual([{ resourceType: 'topic', resourceName: topic }])
    await waitFor('the new configs are described', async () => {
      const [retention, policy] = await Promise.all([
        topicConfig(topic, 'retention.ms'),
        topicConfig(topic, 'cleanup.policy'),
      ])
      return retention.configValue === '86400000' && policy.configValue === 'compact' ? true : undefined
    })
    expect(await topicConfig(topic, 'retention.ms')).toMatchObject({ configSource: 'DYNAMIC_TOPIC_CONFIG' })

    await admin.incrementalAlterConfigs({
      resources: [{ type: 'topic', name: topic, configEntries: [{ name: 'retention.ms', operation: 'delete' }] }],
    })
    const reverted = await waitFor('retention.ms is back to its default', async () => {
      const entry = await topicConfig(topic, 'retention.ms')
      return entry.isDefault ? entry : undefined
    })
    expect(reverted).toMatchObject({ configValue: '604800000', configSource: 'DEFAULT_CONFIG' })
  })

  it('appends to and subtracts from a list config', async () => {
    const topic = uniqueTopic('append')
    await admin.createTopics({ topics: [{ topic, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] }] })
    await admin.incrementalAlterConfigs({
      resources: [
        {
          type: 'topic',
          name: topic,
          configEntries: [{ name: 'cleanup.policy', value: 'delete', operation: 'append' }],
        },
      ],
    })
    await waitFor('cleanup.policy is compact,delete', async () =>
      (await topicConfig(topic, 'cleanup.policy')).configValue === 'compact,delete' ? true : undefined,
    )
    await admin.incrementalAlterConfigs({
      resources: [
        {
          type: 'topic',
          name: topic,
          configEntries: [{ name: 'cleanup.policy', value: 'compact', operation: 'subtract' }],
        },
      ],
    })
    await waitFor('cleanup.policy is delete', async () =>
      (await topicConfig(topic, 'cleanup.policy')).configValue === 'delete' ? true : undefined,
    )
  })

  it('with validateOnly checks a change and makes none', async () => {
    const topic = uniqueTopic('validate')
    await admin.createTopics({ topics: [{ topic }] })
    expect(
      await admin.incrementalAlterConfigs({
        resources: [{ type: 'topic', name: topic, configEntries: [{ name: 'retention.ms', value: '1000' }] }],
        validateOnly: true,
      }),
    ).toEqual([{ resourceType: 'topic', resourceName: topic }])
    const failure = await partialFailure(
      admin.alterConfigs({
        resources: [{ type: 'topic', name: topic, configEntries: [{ name: 'retention.ms', value: 'soon' }] }],
        validateOnly: true,
      }),
    )
    expect(failure.failures[0]!.error).toBeInstanceOf(InvalidConfigError)
    expect(await topicConfig(topic, 'retention.ms')).toMatchObject({ isDefault: true })
  })

  it('refuses an unknown config name with InvalidConfigError naming it, and an unknown topic', async () => {
    const topic = uniqueTopic('unknown-config')
    const missing = uniqueTopic('missing')
    await admin.createTopics({ topics: [{ topic }] })
    const failure = await partialFailure(
      admin.incrementalAlterConfigs({
        resources: [
          { type: 'topic', name: topic, configEntries: [{ name: 'retention.msec', value: '1000' }] },
          { type: 'topic', name: missing, configEntries: [{ name: 'retention.ms', value: '1000' }] },
        ],
      }),
    )
    expect(failure.failures.map((f) => f.entry)).toEqual([`TOPIC:${topic}`, `TOPIC:${missing}`])
    expect(failure.failures[0]!.error).toBeInstanceOf(InvalidConfigError)
    expect(failure.failures[0]!.error.message).toContain('retention.msec')
    expect(failure.failures[1]!.error).toBeInstanceOf(UnknownTopicOrPartitionError)

    const created = await partialFailure(
      admin.createTopics({
        topics: [{ topic: uniqueTopic('bad-config'), configEntries: [{ name: 'no.such', value: '1' }] }],
      }),
    )
    expect(created.failures[0]!.error).toBeInstanceOf(InvalidConfigError)
    expect(created.failures[0]!.error.message).toContain('no.such')

    const described = await partialFailure(admin.describeConfigs({ resources: [{ type: 'topic', name: missing }] }))
    expect(described.failures[0]!.error).toBeInstanceOf(UnknownTopicOrPartitionError)
  })

  it('alters a broker config on that broker and the cluster-wide default, then removes them', async () => {
    const setOn = (name: string, value: string | undefined) =>
      admin.incrementalAlterConfigs({
        resources: [
          {
            type: 'broker',
            name,
            configEntries: [
              value === undefined
                ? { name: 'log.cleaner.min.compaction.lag.ms', operation: 'delete' as const }
                : { name: 'log.cleaner.min.compaction.lag.ms', value },
            ],
          },
        ],
      })
    const brokerValue = async () => {
      const [described] = await admin.describeConfigs({
        resources: [{ type: 'broker', name: brokerId, configNames: ['log.cleaner.min.compaction.lag.ms'] }],
      })
      return described!.configEntries[0]!
    }
    try {
      await setOn('', '1000')
      await waitFor('the cluster default applies', async () => {
        const entry = await brokerValue()
        return entry.configSource === 'DYNAMIC_DEFAULT_BROKER_CONFIG' && entry.configValue === '1000' ? true : undefined
      })
      await setOn(brokerId, '2000')
      await waitFor('the broker config overrides it', async () => {
        const entry = await brokerValue()
        return entry.configSource === 'DYNAMIC_BROKER_CONFIG' && entry.configValue === '2000' ? true : undefined
      })
      const [withSynonyms] = await admin.describeConfigs({
        resources: [{ type: 'broker', name: brokerId, configNames: ['log.cleaner.min.compaction.lag.ms'] }],
        includeSynonyms: true,
      })
      // Most specific first: this broker, then the cluster default, then Kafka's default.
      expect(withSynonyms!.configEntries[0]!.configSynonyms).toEqual([
        { configName: 'log.cleaner.min.compaction.lag.ms', configValue: '2000', configSource: 'DYNAMIC_BROKER_CONFIG' },
        {
          configName: 'log.cleaner.min.compaction.lag.ms',
          configValue: '1000',
          configSource: 'DYNAMIC_DEFAULT_BROKER_CONFIG',
        },
        { configName: 'log.cleaner.min.compaction.lag.ms', configValue: '0', configSource: 'DEFAULT_CONFIG' },
      ])
    } finally {
      await setOn(brokerId, undefined)
      await setOn('', undefined)
    }
    await waitFor('the broker is back to its default', async () =>
      (await brokerValue()).configSource === 'DEFAULT_CONFIG' ? true : undefined,
    )
  })

  it('replaces all dynamic configs of a topic with the legacy alterConfigs', async () => {
    const topic = uniqueTopic('legacy')
    await admin.createTopics({
      topics: [{ topic, configEntries: [{ name: 'retention.ms', value: '600000' }] }],
    })
    expect(
      await admin.alterConfigs({
        resources: [{ type: 'topic', name: topic, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] }],
      }),
    ).toEqual([{ resourceType: 'topic', resourceName: topic }])
    await waitFor('cleanup.policy is compact and retention.ms reverted', async () => {
      const [policy, retention] = await Promise.all([
        topicConfig(topic, 'cleanup.policy'),
        topicConfig(topic, 'retention.ms'),
      ])
      return policy.configValue === 'compact' && retention.isDefault ? true : undefined
    })
  })

  it('fails invalid arguments at the call', async () => {
    await expect(admin.describeConfigs({ resources: [{ type: 'topics' as never, name: 'x' }] })).rejects.toThrow(
      /type must be one of topic, broker/,
    )
    await expect(admin.describeConfigs({ resources: [{ type: 'broker', name: 'one' }] })).rejects.toThrow(
      /broker id like '1'/,
    )
    await expect(
      admin.incrementalAlterConfigs({
        resources: [{ type: 'topic', name: 'x', configEntries: [{ name: 'retention.ms', operation: 'set' }] }],
      }),
    ).rejects.toThrow(InvalidMessageError)
    await expect(
      admin.incrementalAlterConfigs({
        resources: [
          { type: 'topic', name: 'x', configEntries: [{ name: 'a', value: '1', operation: 'add' as never }] },
        ],
      }),
    ).rejects.toThrow(/set, delete, append or subtract/)
  })
})
