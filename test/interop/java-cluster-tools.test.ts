import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { uniqueTopic } from '../integration/support/test-cluster.js'
import { waitFor } from '../integration/support/wait-for.js'
import { requireApis, useInteropCluster } from './support/interop-cluster.js'
import { kafkaToolsAvailability, runKafkaToolChecked } from './support/kafka-tools.js'

/**
 * Apache Kafka 4.1.1's own cluster tools, unchanged, against a three-broker
 * cluster: kafka-leader-election, kafka-reassign-partitions, kafka-log-dirs
 * and kafka-features read the answers of ElectLeaders, the reassignment APIs,
 * DescribeLogDirs and ApiVersions the way operators see them.
 */
const tools = await kafkaToolsAvailability()
if (tools.reason) console.warn(`skipped: ${tools.reason}`)
const { interop, skipReason } = tools.reason
  ? { interop: undefined, skipReason: tools.reason }
  : await useInteropCluster({ brokers: 3 })

const folder = await mkdtemp(join(tmpdir(), 'kafkit-reassign-'))
afterAll(async () => {
  await rm(folder, { recursive: true, force: true })
})

describe.skipIf(skipReason !== undefined)(`Kafka 4.1.1's cluster tools against a ${interop?.target} cluster`, () => {
  const run = (tool: string, args: string[]) =>
    runKafkaToolChecked(tools.dir!, tool, ['--bootstrap-server', interop!.bootstrap, ...args])

  it('LeaderElectionCommand elects the preferred leader, then finds nothing to do', async () => {
    requireApis(interop!, ['ElectLeaders', 'Metadata'])
    const topic = uniqueTopic('java-elect')
    await interop!.createTopic(topic, 1)
    const control = interop!.control
    if (control) {
      const partition = control.state.topics.get(topic)!.partitions[0]!
      control.moveLeader(topic, 0, partition.replicas[1]!)
    }
    const args = ['--election-type', 'PREFERRED', '--topic', topic, '--partition', '0']
    const first = await run('LeaderElectionCommand', args)
    // A fresh jar cluster already has its preferred leaders: the first run finds nothing to do there.
    if (control) expect(first).toContain(`Successfully completed leader election (PREFERRED) for partitions ${topic}-0`)
    expect(await run('LeaderElectionCommand', args)).toContain(
      `Valid replica already elected for partitions ${topic}-0`,
    )
  })

  it('ReassignPartitionsCommand moves a partition and verifies it completed', async () => {
    requireApis(interop!, ['AlterPartitionReassignments', 'ListPartitionReassignments', 'DescribeLogDirs'])
    const topic = uniqueTopic('java-reassign')
    await interop!.createTopic(topic, 1)
    const plan = join(folder, `${topic}.json`)
    await writeFile(plan, JSON.stringify({ version: 1, partitions: [{ topic, partition: 0, replicas: [3, 1] }] }))
    const executed = await run('reassign.ReassignPartitionsCommand', ['--execute', '--reassignment-json-file', plan])
    expect(executed).toContain(`Successfully started partition reassignment for ${topic}-0`)
    const verified = await waitFor('the reassignment is complete', async () => {
      const out = await run('reassign.ReassignPartitionsCommand', ['--verify', '--reassignment-json-file', plan])
      return out.includes(`Reassignment of partition ${topic}-0 is completed.`) ? out : undefined
    })
    expect(verified).toContain('Clearing broker-level throttles')
    if (interop!.control) expect(interop!.control.state.topics.get(topic)!.partitions[0]!.replicas).toEqual([3, 1])
  })

  it("LogDirsCommand lists each broker's log dir with its replicas", async () => {
    requireApis(interop!, ['DescribeLogDirs', 'DescribeCluster'])
    const topic = uniqueTopic('java-log-dirs')
    await interop!.createTopic(topic, 2)
    const described = await waitFor('both replicas are in broker 1 log dir', async () => {
      const out = await run('LogDirsCommand', ['--describe', '--broker-list', '1', '--topic-list', topic])
      const json = out.split('\n').find((line) => line.startsWith('{'))
      const parsed = json
        ? (JSON.parse(json) as {
            brokers: {
              broker: number
              logDirs: { logDir: string; error: string | null; partitions: { partition: string; size: number }[] }[]
            }[]
          })
        : undefined
      return parsed?.brokers[0]?.logDirs[0]?.partitions.length === 2 ? parsed : undefined
    })
    const [broker] = described.brokers
    expect(broker!.broker).toBe(1)
    expect(broker!.logDirs).toHaveLength(1)
    expect(broker!.logDirs[0]!.error).toBeNull()
    expect(broker!.logDirs[0]!.partitions.map((p) => p.partition).sort()).toEqual([`${topic}-0`, `${topic}-1`])
  })

  it('FeatureCommand describes metadata.version as Kafka 4.1', async () => {
    requireApis(interop!, ['ApiVersions'])
    const out = await run('FeatureCommand', ['describe'])
    const line = out.split('\n').find((l) => l.startsWith('Feature: metadata.version'))
    expect(line).toMatch(
      /SupportedMinVersion: 3\.3-IV3\s+SupportedMaxVersion: 4\.1-IV1\s+FinalizedVersionLevel: 4\.1-IV1/,
    )
  })
})
