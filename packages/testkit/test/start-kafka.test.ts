import { afterEach, describe, expect, it } from 'vitest'
import { externalCluster } from '../src/external-cluster.js'
import { selectedTarget, startKafka } from '../src/start-kafka.js'

const saved = { KAFKA_BROKERS: process.env.KAFKA_BROKERS, KAFKIT_TARGET: process.env.KAFKIT_TARGET }
afterEach(() => {
  for (const [key, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[key]
    else process.env[key] = value
  }
})

describe('choosing the broker target', () => {
  it('uses KAFKA_BROKERS over everything else', () => {
    process.env.KAFKA_BROKERS = 'a:9092'
    process.env.KAFKIT_TARGET = 'jar'
    expect(selectedTarget({ target: 'testcontainers' })).toBe('external')
  })

  it('takes the option, then KAFKIT_TARGET, then the embedded default', () => {
    delete process.env.KAFKA_BROKERS
    process.env.KAFKIT_TARGET = 'testcontainers'
    expect(selectedTarget({ target: 'jar' })).toBe('jar')
    expect(selectedTarget()).toBe('testcontainers')
    delete process.env.KAFKIT_TARGET
    expect(selectedTarget()).toBe('embedded')
  })

  it('names the valid targets when KAFKIT_TARGET is misspelt', () => {
    delete process.env.KAFKA_BROKERS
    process.env.KAFKIT_TARGET = 'docker'
    expect(() => selectedTarget()).toThrow(/embedded, jar, testcontainers, external/)
  })

  it('starts the embedded broker in this process', async () => {
    delete process.env.KAFKA_BROKERS
    await using cluster = await startKafka({ target: 'embedded', brokers: 3 })
    expect(cluster.target).toBe('embedded')
    expect(cluster.bootstrapServers).toHaveLength(3)
    expect(Object.keys(cluster.listeners).sort()).toEqual(['PLAINTEXT', 'SASL_PLAINTEXT', 'SASL_SSL', 'SSL'])
  })

  it('rejects a broker count that is not a positive integer', async () => {
    await expect(startKafka({ brokers: 0 })).rejects.toThrow(/positive integer/)
  })
})

describe('an external cluster', () => {
  it('parses KAFKA_BROKERS into PLAINTEXT bootstrap servers', async () => {
    const cluster = externalCluster(' a:9092, b:9093 ,')
    expect(cluster.bootstrapServers).toEqual(['a:9092', 'b:9093'])
    expect(cluster.listeners.PLAINTEXT?.bootstrapServers).toEqual(['a:9092', 'b:9093'])
    await cluster.stop()
  })

  it('refuses a KAFKA_BROKERS that names no broker', () => {
    expect(() => externalCluster(' , ')).toThrow(/host:port/)
  })
})
