// What the classic and the KIP-848 membership test support share: each member's own client,
// the option values sized for tests, partition names, and what "split evenly" means.
import { consoleLogger, KafkaClient, silentLogger } from '@kafkit/client'
import type { TopicPartition } from '../src/assignors/index.js'

/** Silent unless KAFKIT_TEST_LOG is set. */
export const testLogger = process.env.KAFKIT_TEST_LOG ? consoleLogger('debug') : silentLogger

/** "topic-partition", the form tests compare owned partitions in. */
export const partitionName = (tp: TopicPartition): string => `${tp.topic}-${tp.partition}`

/** The options both memberships take, sized for tests; a member's spec overrides them. */
export const MEMBERSHIP_TEST_DEFAULTS = {
  groupInstanceId: null,
  rebalanceTimeoutMs: 30_000,
  maxPollIntervalMs: 300_000,
  clientRack: null,
  requestTimeoutMs: 30_000,
  retryBackoffMs: 100,
  retryBackoffMaxMs: 1000,
  logger: testLogger,
} as const

/** A member's own connected client, as separate consumers would have. */
export async function connectMemberClient(brokers: string[], clientId: string): Promise<KafkaClient> {
  const client = new KafkaClient({ brokers, clientId, logger: testLogger })
  await client.connect()
  return client
}

/** Every one of `partitions` owned by exactly one member, each owning between floor and ceil of its share. */
export function ownsFairShares(owned: readonly ReadonlySet<string>[], partitions: number): boolean {
  const all = owned.flatMap((set) => [...set])
  if (all.length !== partitions || new Set(all).size !== partitions) return false
  const share = Math.floor(partitions / owned.length)
  return owned.every((set) => set.size >= share && set.size <= share + 1)
}
