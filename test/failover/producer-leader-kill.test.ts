import { Kafka, KafkaClient, type Logger, ProducerSendError, type RecordMetadata } from 'kafkit'
import { describe, expect, it } from 'vitest'
import { scanPartition } from '../integration/support/scan-partition.js'
import { uniqueTopic, useTestCluster } from '../integration/support/test-cluster.js'
import { createTopic } from '../integration/support/topics.js'
import { waitFor } from '../integration/support/wait-for.js'

/**
 * The idempotent producer (acks -1, the defaults) keeps exactly-once, in-order
 * delivery per partition when the leader of a partition is killed (kill -9)
 * in the middle of a long run: every record is acknowledged, stored once, in
 * send order, at the offset it was acknowledged with.
 */
const { cluster, skipReason } = await useTestCluster({
  brokers: 3,
  target: process.env.KAFKA_BROKERS ? undefined : 'jar',
})
const noNodeControl = cluster && !cluster.nodes ? `the ${cluster.target} target cannot kill nodes` : undefined
if (noNodeControl) console.warn(`skipped: ${noNodeControl}`)

const RECORDS = 1_000_000
const PARTITIONS = 3
const PER_SEND = 1000
/** Sends awaited at most at once: enough to keep 5 requests per broker busy, bounded memory. */
const SENDS_IN_FLIGHT = 64
const KILL_AFTER_ACKED = 300_000

describe.skipIf(skipReason !== undefined || noNodeControl !== undefined)('the producer when a leader dies', () => {
  it('killing the partition leader of the three-node jar cluster during an idempotent run of 1,000,000 records loses and duplicates nothing', async () => {
    const nodes = cluster!.nodes!
    await using client = new KafkaClient({ brokers: cluster!.bootstrapServers, requestTimeoutMs: 10_000 })
    await client.connect()
    const topic = uniqueTopic('producer-leader-kill')
    await createTopic(client, topic, PARTITIONS, { 'min.insync.replicas': '2' })
    await waitFor(`every partition of ${topic} has 3 in-sync replicas`, async () => {
      await client.cluster.refreshMetadata({ topics: [topic] })
      const partitions = client.cluster.metadata.topic(topic)?.partitions ?? []
      return partitions.length === PARTITIONS && partitions.every((p) => p?.isr.length === 3) ? true : undefined
    })

    // Counts what the producer went through, to show the kill hit records in flight.
    const seenLogs = { retries: 0, epochBumps: 0, lastRetryError: '' }
    const logger: Logger = {
      debug: (message, fields) => {
        if (message !== 'retrying a produce batch') return
        seenLogs.retries++
        seenLogs.lastRetryError = String(fields?.error)
      },
      info: (message) => {
        if (message === 'bumped the producer epoch') seenLogs.epochBumps++
      },
      warn: () => {},
      error: (message, fields) => console.error(message, fields),
    }
    const kafka = new Kafka({ clientId: 'kafkit-leader-kill', brokers: cluster!.bootstrapServers, logger })
    const producer = kafka.producer()
    await producer.connect()

    // Record i carries i in its value and goes to partition i % PARTITIONS: per partition, values ascend in send order.
    const ackedOffset = new Float64Array(RECORDS).fill(-1)
    const failures: string[] = []
    let acked = 0
    let killed: number | undefined
    let killedAtAcked = 0
    const started = performance.now()
    const inFlight = new Set<Promise<void>>()
    const onAcked = (first: number, metadata: readonly RecordMetadata[]) => {
      metadata.forEach((m, i) => {
        ackedOffset[first + i] = Number(m.offset)
      })
      acked += metadata.length
    }
    const onFailed = (first: number, error: unknown) => {
      if (error instanceof ProducerSendError) {
        error.outcomes.forEach((outcome, i) => {
          if (outcome.status === 'rejected')
            failures.push(`record ${first + i}: ${outcome.reason.name}: ${outcome.reason.message}`)
          else ackedOffset[first + i] = Number(outcome.value.offset)
        })
      } else failures.push(`send of records ${first}..${first + PER_SEND - 1}: ${String(error)}`)
    }

    try {
      for (let first = 0; first < RECORDS; first += PER_SEND) {
        const messages = Array.from({ length: PER_SEND }, (_, i) => ({
          value: String(first + i),
          partition: (first + i) % PARTITIONS,
        }))
        const send: Promise<void> = producer.send({ topic, messages }).then(
          (metadata) => onAcked(first, metadata),
          (error: unknown) => onFailed(first, error),
        )
        inFlight.add(send)
        void send.finally(() => inFlight.delete(send))
        if (inFlight.size >= SENDS_IN_FLIGHT) await Promise.race(inFlight)
        if (killed === undefined && acked >= KILL_AFTER_ACKED) {
          await client.cluster.refreshMetadata({ topics: [topic] })
          killed = client.cluster.metadata.partition(topic, 0)!.leader
          killedAtAcked = acked
          await nodes.kill(killed)
        }
      }
      await Promise.all(inFlight)
      const produceMs = performance.now() - started
      console.info(
        `produced ${RECORDS} records in ${Math.round(produceMs)} ms; killed node ${killed} after ${killedAtAcked} acknowledgements; ` +
          `${seenLogs.retries} batch retries (last: ${seenLogs.lastRetryError}), ${seenLogs.epochBumps} epoch bumps`,
      )
      await producer.disconnect()
      if (failures.length > 0) {
        throw new Error(
          `${failures.length} record(s) failed:\n${failures.slice(0, 20).join('\n')}${failures.length > 20 ? '\n...' : ''}`,
        )
      }
      expect(killed).toBeDefined()
      expect(acked).toBe(RECORDS)
      // The kill interrupted requests in flight (or about to go) to the dead leader: they were retried.
      expect(seenLogs.retries).toBeGreaterThan(0)

      // Read everything back from the leaders elected after the kill.
      const seen = new Uint8Array(RECORDS)
      const problems: string[] = []
      let read = 0
      const readStarted = performance.now()
      await client.cluster.refreshMetadata({ topics: [topic] })
      for (let partition = 0; partition < PARTITIONS; partition++) {
        let previous = -1
        await scanPartition(client, topic, partition, (record) => {
          read++
          const index = Number(record.value?.toString('latin1'))
          const where = `${topic}-${partition} offset ${record.offset}`
          if (!Number.isInteger(index) || index < 0 || index >= RECORDS) {
            problems.push(`${where}: a value that was not produced: ${record.value?.toString('latin1')}`)
            return
          }
          if (seen[index]) problems.push(`${where}: record ${index} is a duplicate`)
          seen[index] = 1
          if (index % PARTITIONS !== partition) problems.push(`${where}: record ${index} is in the wrong partition`)
          if (index <= previous) problems.push(`${where}: record ${index} after record ${previous}: order lost`)
          previous = index
          if (ackedOffset[index] !== Number(record.offset))
            problems.push(`${where}: record ${index} was acknowledged at offset ${ackedOffset[index]}`)
        })
      }
      console.info(`read ${read} records back in ${Math.round(performance.now() - readStarted)} ms`)
      const missing = seen.indexOf(0)
      if (missing >= 0)
        problems.push(`record ${missing} was not read back (${seen.filter((s) => s === 0).length} missing)`)
      expect(problems.slice(0, 20)).toEqual([])
      expect(read).toBe(RECORDS)
    } finally {
      await producer.disconnect()
      if (killed !== undefined && !nodes.isRunning(killed)) await nodes.start(killed)
    }
    // The killed node catches up and rejoins the in-sync replicas.
    await waitFor(`node ${killed} is back in the ISR of every partition`, async () => {
      await client.cluster.refreshMetadata({ topics: [topic] })
      const partitions = client.cluster.metadata.topic(topic)?.partitions ?? []
      return partitions.every((p) => p?.isr.includes(killed!)) ? true : undefined
    })
  }, 300_000)
})
