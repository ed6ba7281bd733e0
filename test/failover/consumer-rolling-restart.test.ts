import { setTimeout as delay } from 'node:timers/promises'
import { Kafka, KafkaClient, type KafkitConsumer, type Logger } from 'kafkit'
import { describe, expect, it } from 'vitest'
import { uniqueTopic, useTestCluster } from '../integration/support/test-cluster.js'
import { createTopic } from '../integration/support/topics.js'
import { waitFor } from '../integration/support/wait-for.js'
import { committedOffsets, endOffsets } from './support/group-offsets.js'

/**
 * A classic group of two consumers (cooperative-sticky; one auto-commits, the
 * other commits by hand) keeps consuming while every node of the three-node
 * cluster is restarted in turn, the group coordinator's first: nothing
 * produced is skipped, and the group's committed offsets never go backwards.
 */
const { cluster, skipReason } = await useTestCluster({
  brokers: 3,
  target: process.env.KAFKA_BROKERS ? undefined : 'jar',
})
const noNodeControl = cluster && !cluster.nodes ? `the ${cluster.target} target cannot restart nodes` : undefined
if (noNodeControl) console.warn(`skipped: ${noNodeControl}`)

const PARTITIONS = 6
const PER_SEND = 40
/** Pause between sends: keeps the load steady (a few thousand records/s) on a 2-core machine running three JVMs. */
const SEND_PACING_MS = 10
const SAMPLE_EVERY_MS = 100
const MANUAL_COMMIT_EVERY_MS = 300

/** Which offsets of each partition were handed to a handler, and how many times. */
class Processed {
  readonly #counts = Array.from({ length: PARTITIONS }, () => [] as number[])
  total = 0
  record(partition: number, offset: bigint): void {
    const counts = this.#counts[partition]!
    const at = Number(offset)
    counts[at] = (counts[at] ?? 0) + 1
    this.total++
  }
  /** The first offsets below `end` never processed, per partition (at most 5 each). */
  missing(end: readonly bigint[]): string[] {
    const problems: string[] = []
    end.forEach((e, partition) => {
      const counts = this.#counts[partition]!
      const gaps: number[] = []
      for (let offset = 0; offset < Number(e) && gaps.length < 5; offset++) if (!counts[offset]) gaps.push(offset)
      if (gaps.length > 0)
        problems.push(`partition ${partition}: offsets ${gaps.join(', ')}… of 0..${e - 1n} never processed`)
      if (counts.length > Number(e))
        problems.push(`partition ${partition}: offset ${counts.length - 1} is past the end ${e}`)
    })
    return problems
  }
  unique(): number {
    return this.#counts.reduce((sum, counts) => sum + counts.filter((c) => c > 0).length, 0)
  }
}

describe.skipIf(skipReason !== undefined || noNodeControl !== undefined)(
  'a consumer group during a rolling restart',
  () => {
    it('a rolling restart of the three-node jar cluster during consumption loses nothing and committed offsets never go backwards', async () => {
      const nodes = cluster!.nodes!
      const started = performance.now()
      const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)} s`
      await using client = new KafkaClient({ brokers: cluster!.bootstrapServers, requestTimeoutMs: 10_000 })
      await client.connect()
      const topic = uniqueTopic('consumer-rolling-restart')
      const groupId = uniqueTopic('rolling-restart-group')
      await createTopic(client, topic, PARTITIONS, { 'min.insync.replicas': '2' })
      const fullyReplicated = async (node?: number) => {
        await client.cluster.refreshMetadata({ topics: [topic, '__consumer_offsets'] })
        const partitions = [
          ...(client.cluster.metadata.topic(topic)?.partitions ?? []),
          ...(client.cluster.metadata.topic('__consumer_offsets')?.partitions ?? []),
        ]
        const inSync = (isr: readonly number[]) => (node === undefined ? isr.length === 3 : isr.includes(node))
        return partitions.length >= PARTITIONS && partitions.every((p) => p !== undefined && inSync(p.isr))
          ? true
          : undefined
      }

      // What the clients log from info level up, to report what the restarts did to them.
      const logged = new Map<string, number>()
      const count = (level: string) => (message: string) =>
        logged.set(`${level}: ${message}`, (logged.get(`${level}: ${message}`) ?? 0) + 1)
      const logger: Logger = { debug: () => {}, info: count('info'), warn: count('warn'), error: count('error') }
      const kafka = new Kafka({ clientId: 'kafkit-rolling-restart', brokers: cluster!.bootstrapServers, logger })

      // Produce for the whole test: record i goes to partition i % PARTITIONS; every send must be acknowledged.
      const producer = kafka.producer()
      await producer.connect()
      const acked = Array.from({ length: PARTITIONS }, () => 0)
      const sendFailures: string[] = []
      let producing = true
      let sent = 0
      const production = (async () => {
        while (producing) {
          const first = sent
          const messages = Array.from({ length: PER_SEND }, (_, i) => ({
            value: String(first + i),
            partition: (first + i) % PARTITIONS,
          }))
          sent += PER_SEND
          try {
            for (const metadata of await producer.send({ topic, messages })) acked[metadata.partition]!++
          } catch (error) {
            sendFailures.push(`records ${first}..${first + PER_SEND - 1}: ${String(error)}`)
          }
          await delay(SEND_PACING_MS)
        }
      })()

      const processed = new Processed()
      const consumerOptions = {
        groupId,
        partitionAssigners: ['cooperative-sticky'] as const,
        sessionTimeoutMs: 10_000,
        heartbeatIntervalMs: 1_000,
        maxWaitMs: 200,
        requestTimeoutMs: 10_000,
      }
      const consumers: KafkitConsumer[] = [
        kafka.consumer({ ...consumerOptions, autoCommitIntervalMs: 500 }),
        kafka.consumer({ ...consumerOptions, autoCommit: false }),
      ]
      const manualCommitFailures = new Map<string, number>()
      let manualCommitting = true
      let manualCommits: Promise<void> | undefined

      // Committed offsets, sampled while everything runs; a partition's offset must never decrease.
      const highest = Array.from({ length: PARTITIONS }, () => -1n)
      const regressions: string[] = []
      let samples = 0
      let sampleErrors = 0
      let sampling = true
      const sampler = (async () => {
        while (sampling) {
          try {
            const offsets = await committedOffsets(client, groupId, topic, PARTITIONS)
            samples++
            offsets.forEach((offset, partition) => {
              if (offset < highest[partition]!)
                regressions.push(`partition ${partition}: ${highest[partition]} then ${offset} at ${elapsed()}`)
              else highest[partition] = offset
            })
          } catch {
            sampleErrors++
          }
          await delay(SAMPLE_EVERY_MS)
        }
      })()
      const committedTotal = () => highest.reduce((sum, o) => sum + (o > 0n ? o : 0n), 0n)

      const restarts: string[] = []
      try {
        for (const consumer of consumers) {
          await consumer.connect()
          consumer.subscribe({ topic, fromBeginning: true })
          await consumer.run({
            eachMessage: async ({ partition, message }) => processed.record(partition, message.offset),
          })
        }
        // The second consumer commits what it processed, on its own timer.
        const manual = consumers[1]!
        manualCommits = (async () => {
          while (manualCommitting) {
            await manual.commitOffsets().catch((error: Error) => {
              manualCommitFailures.set(error.name, (manualCommitFailures.get(error.name) ?? 0) + 1)
            })
            await delay(MANUAL_COMMIT_EVERY_MS)
          }
        })()

        await waitFor('both consumers own partitions, all 6 between them', () => {
          const owned = consumers.map((c) => c.assignment().length)
          return owned.every((n) => n > 0) && owned[0]! + owned[1]! === PARTITIONS ? true : undefined
        })
        await waitFor('every partition of the topic and of __consumer_offsets has 3 in-sync replicas', () =>
          fullyReplicated(),
        )
        await waitFor('the group has committed offsets', () => (committedTotal() > 0n ? true : undefined))
        console.info(`group stable, consuming, at ${elapsed()}`)

        // The coordinator's node goes first, so the restart moves the group to another coordinator.
        const coordinator = await client.cluster.findCoordinator('group', groupId)
        for (const node of [coordinator, ...nodes.nodeIds.filter((n) => n !== coordinator)]) {
          const stepStarted = performance.now()
          const wasCoordinator = (await client.cluster.findCoordinator('group', groupId)) === node
          await nodes.stop(node)
          await waitFor(`the cluster no longer lists node ${node} and no partition is led by it`, async () => {
            await client.cluster.refreshMetadata({ topics: [topic] })
            const partitions = client.cluster.metadata.topic(topic)?.partitions ?? []
            return client.cluster.metadata.brokers.every((b) => b.nodeId !== node) &&
              partitions.every((p) => p?.leader !== node)
              ? true
              : undefined
          })
          // Consumption goes on (commits advance) while the node is down.
          const committedBefore = committedTotal()
          await waitFor(`the group commits progress while node ${node} is down`, () =>
            committedTotal() > committedBefore ? true : undefined,
          )
          await nodes.start(node)
          await waitFor(`node ${node} is back in the ISR of every partition`, () => fullyReplicated(node), {
            timeoutMs: 90_000,
          })
          restarts.push(
            `node ${node}${wasCoordinator ? ' (group coordinator)' : ''} in ${Math.round(performance.now() - stepStarted)} ms`,
          )
        }
        expect(restarts).toHaveLength(3)
        expect(restarts[0]).toContain('group coordinator')

        producing = false
        await production
        const end = await endOffsets(client, topic, PARTITIONS)
        console.info(`produced ${sent} records by ${elapsed()}; end offsets ${end.join(', ')}`)
        expect(sendFailures.slice(0, 10)).toEqual([])
        // Idempotence: each partition's log holds exactly the records acknowledged to it.
        expect(end.map(Number)).toEqual(acked)

        // The consumers catch up and commit the end of every partition.
        await waitFor(
          'the group has committed the end offset of every partition',
          () => (highest.every((offset, p) => offset === end[p]) ? true : undefined),
          { timeoutMs: 90_000 },
        )
        console.info(`caught up at ${elapsed()}`)
        expect(regressions.slice(0, 10)).toEqual([])
        expect(processed.missing(end)).toEqual([])
        const unique = processed.unique()
        expect(unique).toBe(sent)
        console.info(
          `restarts: ${restarts.join('; ')}. ${sent} records, ${processed.total} handled, ${processed.total - unique} duplicates; ` +
            `${samples} offset samples (${sampleErrors} failed while the coordinator moved); manual commit failures: ` +
            `${JSON.stringify(Object.fromEntries(manualCommitFailures))}; consumer logs: ${JSON.stringify(Object.fromEntries(logged))}; ` +
            `${elapsed()} in all`,
        )
      } finally {
        producing = false
        manualCommitting = false
        sampling = false
        await production
        await manualCommits
        await sampler
        await Promise.all(consumers.map((c) => c.disconnect()))
        await producer.disconnect()
        for (const node of nodes.nodeIds) if (!nodes.isRunning(node)) await nodes.start(node)
      }
    }, 300_000)
  },
)
