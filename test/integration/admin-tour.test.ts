import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { Kafka, logLevel } from 'kafkit'
import { describe, expect, it } from 'vitest'
import { useTestCluster } from './support/test-cluster.js'
import { waitFor } from './support/wait-for.js'

/**
 * The admin tour (`pnpm admin-tour`, examples/admin-tour.ts) is documentation
 * that runs: each printed line states one step's outcome, so comparing the
 * lines checks every step of docs/admin.md's quick reference it walks through,
 * on this suite's target (real Kafka on the jar run).
 */
const { cluster, skipReason } = await useTestCluster()
const run = promisify(execFile)
const root = fileURLToPath(new URL('../../', import.meta.url))

describe.skipIf(skipReason !== undefined)(`the admin tour against the ${cluster?.target} target`, () => {
  it('walks a topic and a group from creation to deletion, each step doing what its line says', async () => {
    const brokers = cluster!.bootstrapServers.join(',')
    const { stdout } = await run(
      process.execPath,
      ['--conditions=@kafkit/source', '--import', 'tsx', 'examples/admin-tour.ts'],
      { cwd: root, env: { ...process.env, KAFKA_BROKERS: brokers }, timeout: 120_000 },
    )
    const topic = /created topic (\S+)/.exec(stdout)?.[1] ?? 'no topic created'
    const group = /consumed \d+ records in group (\S+)/.exec(stdout)?.[1] ?? 'no group'
    const lines = stdout
      .trim()
      .split('\n')
      .map((line) => line.replaceAll(group, '<group>').replaceAll(topic, '<topic>'))
      // Other tests' topics share the cluster.
      .map((line) => line.replace(/^listed \d+ topics/, 'listed N topics'))

    expect(lines).toEqual([
      `kafkit admin tour on the cluster at ${brokers} (${cluster!.bootstrapServers.join(', ')})`,
      'created topic <topic>',
      'listed N topics, including <topic>',
      'described <topic>: 3 partitions',
      'configs of <topic>: cleanup.policy=delete (DEFAULT_CONFIG), retention.ms=3600000 (DYNAMIC_TOPIC_CONFIG)',
      'altered configs of <topic>: cleanup.policy=compact (DYNAMIC_TOPIC_CONFIG), retention.ms=86400000 (DYNAMIC_TOPIC_CONFIG)',
      'added partitions: <topic> has 6 partitions',
      'produced 18 records',
      'consumed 18 records in group <group>',
      'listed groups: <group> is Stable',
      'described group: Stable, 1 member(s) owning 6 partitions',
      'lag of <group>: 0 over 6 partitions',
      'stopped the consumer: group <group> is Empty',
      'reset to earliest: offsets [0, 0, 0, 0, 0, 0], lag 18',
      'reset partition 0 from 0 to offset 2, lag 16',
      'reverted cleanup.policy: cleanup.policy=delete (DEFAULT_CONFIG), retention.ms=86400000 (DYNAMIC_TOPIC_CONFIG)',
      'deleted records of partition 0 before offset 1: low watermark 1',
      'offsets of partition 0: earliest 1, latest 3',
      'deleted group <group>: no longer listed',
      'deleted topic <topic>',
      'disconnected',
    ])

    // What it deleted is gone for another client too, so it can run again and again on one cluster.
    const kafka = new Kafka({
      clientId: 'admin-tour-check',
      brokers: cluster!.bootstrapServers,
      logLevel: logLevel.NOTHING,
    })
    await using admin = kafka.admin()
    await admin.connect()
    await waitFor('the tour topic is deleted', async () =>
      (await admin.listTopics()).includes(topic) ? undefined : true,
    )
    const { groups } = await admin.listGroups()
    expect(groups.map((g) => g.groupId)).not.toContain(group)
  })
})
