import { describe, expect, it } from 'vitest'
import { topicConfigValue } from '../src/embedded/state/configs/topic-config.js'
import {
  APPEND,
  alterConfigs,
  alterIncrementally,
  BROKER,
  byName,
  createTopic,
  DELETE,
  describeConfigs,
  freshTopic,
  SET,
  TOPIC,
  useAdminCluster,
} from './support/admin.js'

// Broker configs apply to every topic: each test puts back what it changes.
const cluster = useAdminCluster()

function topicState(name: string) {
  return cluster.kafka.control.state.topics.get(name)!
}

describe('dynamic broker configs', () => {
  it('flow into topics: per broker over cluster default over Kafka default, each listed as a synonym', async () => {
    const name = freshTopic()
    await createTopic(cluster.client, name)
    try {
      expect(
        await alterIncrementally(cluster.client, 1, BROKER, '', [
          { name: 'log.retention.ms', configOperation: SET, value: '3600000' },
        ]),
      ).toMatchObject({ errorCode: 0 })
      expect(
        await alterIncrementally(cluster.client, 1, BROKER, '1', [
          { name: 'log.retention.ms', configOperation: SET, value: '7200000' },
        ]),
      ).toMatchObject({ errorCode: 0 })
      const onBroker1 = byName(await describeConfigs(cluster.client, 1, TOPIC, name, { keys: ['retention.ms'] }))
      expect(onBroker1.get('retention.ms')).toMatchObject({
        value: '7200000',
        configSource: 2,
        synonyms: [
          { name: 'log.retention.ms', value: '7200000', source: 2 },
          { name: 'log.retention.ms', value: '3600000', source: 3 },
          { name: 'log.retention.hours', value: '168', source: 5 },
        ],
      })
      const onBroker2 = byName(await describeConfigs(cluster.client, 2, TOPIC, name, { keys: ['retention.ms'] }))
      expect(onBroker2.get('retention.ms')).toMatchObject({ value: '3600000', configSource: 3 })
      const state = cluster.kafka.control.state
      expect(topicConfigValue(state, topicState(name), 'retention.ms', 1)).toBe('7200000')
      expect(topicConfigValue(state, topicState(name), 'retention.ms')).toBe('3600000')
      const broker = byName(await describeConfigs(cluster.client, 1, BROKER, '1', { keys: ['log.retention.ms'] }))
      expect(broker.get('log.retention.ms')).toMatchObject({ value: '7200000', configSource: 2 })
    } finally {
      await alterIncrementally(cluster.client, 1, BROKER, '1', [
        { name: 'log.retention.ms', configOperation: DELETE, value: null },
      ])
      await alterIncrementally(cluster.client, 1, BROKER, '', [
        { name: 'log.retention.ms', configOperation: DELETE, value: null },
      ])
    }
    expect(topicConfigValue(cluster.kafka.control.state, topicState(name), 'retention.ms', 1)).toBe('604800000')
  })

  it('refuses read-only and invalid values (INVALID_REQUEST), keeping the cluster-wide min.insync.replicas', async () => {
    expect(
      await alterIncrementally(cluster.client, 1, BROKER, '1', [
        { name: 'log.retention.hours', configOperation: SET, value: '2' },
      ]),
    ).toMatchObject({
      errorCode: 42,
      errorMessage: 'Cannot update these configs dynamically: Set(log.retention.hours)',
    })
    expect(
      await alterIncrementally(cluster.client, 1, BROKER, '', [
        { name: 'message.max.bytes', configOperation: SET, value: '-5' },
      ]),
    ).toMatchObject({
      errorCode: 42,
      errorMessage: 'Invalid value -5 for configuration message.max.bytes: Value must be at least 0',
    })
    expect(
      await alterIncrementally(cluster.client, 1, BROKER, '', [
        { name: 'message.max.bytes', configOperation: APPEND, value: '1' },
      ]),
    ).toMatchObject({
      errorCode: 40,
      errorMessage: 'Config value append is not allowed for config key: message.max.bytes',
    })
    expect(
      await alterIncrementally(cluster.client, 1, BROKER, '', [
        { name: 'min.insync.replicas', configOperation: DELETE, value: null },
      ]),
    ).toMatchObject({
      errorCode: 40,
      errorMessage: 'Cluster-level min.insync.replicas cannot be removed while ELR is enabled.',
    })
    expect(
      await alterIncrementally(cluster.client, 1, BROKER, '3', [
        { name: 'message.max.bytes', configOperation: SET, value: '1' },
      ]),
    ).toMatchObject({
      errorCode: 42,
      errorMessage: 'Unexpected broker id, expected 1, but received 3',
    })
    expect(cluster.kafka.control.state.brokerConfigs.get('')?.get('min.insync.replicas')).toBe('1')
  })

  it('accepts names Kafka does not know, describing them as sensitive', async () => {
    try {
      expect(
        await alterIncrementally(cluster.client, 3, BROKER, '3', [
          { name: 'custom.setting', configOperation: SET, value: 'x' },
        ]),
      ).toMatchObject({ errorCode: 0 })
      const configs = byName(await describeConfigs(cluster.client, 3, BROKER, '3', { keys: ['custom.setting'] }))
      expect(configs.get('custom.setting')).toMatchObject({
        value: null,
        isSensitive: true,
        readOnly: true,
        configSource: 2,
        configType: 0,
      })
    } finally {
      await alterIncrementally(cluster.client, 3, BROKER, '3', [
        { name: 'custom.setting', configOperation: DELETE, value: null },
      ])
    }
  })

  it('are replaced as a whole by the legacy AlterConfigs', async () => {
    try {
      expect(
        await alterConfigs(cluster.client, 2, BROKER, '', [{ name: 'log.cleanup.policy', value: 'compact' }]),
      ).toMatchObject({
        errorCode: 40,
        errorMessage: 'Cluster-level min.insync.replicas cannot be removed while ELR is enabled.',
      })
      const replaced = await alterConfigs(cluster.client, 2, BROKER, '', [
        { name: 'min.insync.replicas', value: '2' },
        { name: 'log.cleanup.policy', value: 'compact' },
      ])
      expect(replaced.errorCode).toBe(0)
      expect((await describeConfigs(cluster.client, 2, BROKER, '')).configs.map((c) => [c.name, c.value])).toEqual([
        ['log.cleanup.policy', 'compact'],
        ['min.insync.replicas', '2'],
      ])
    } finally {
      await alterConfigs(cluster.client, 2, BROKER, '', [{ name: 'min.insync.replicas', value: '1' }])
    }
  })
})
