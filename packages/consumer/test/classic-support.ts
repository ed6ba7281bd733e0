// Members of a classic group for membership tests: each with its own client (as separate
// consumers would be, so one member's parked JoinGroup never holds up another's requests)
// and a listener that records what it owns and every callback.
import type { KafkaClient } from '@kafkit/client'
import type { Assignor, TopicPartition } from '../src/assignors/index.js'
import { ClassicMembership, type ClassicMembershipOptions } from '../src/group/classic/index.js'
import type { AssignmentListener } from '../src/group/group-membership.js'
import { connectMemberClient, MEMBERSHIP_TEST_DEFAULTS, ownsFairShares, partitionName } from './membership-support.js'

export type ListenerEvent = { kind: 'assigned' | 'revoked' | 'lost'; partitions: string[] }

/** "topic-partition" names, sorted, for readable assertions. */
export function names(partitions: readonly TopicPartition[]): string[] {
  return partitions.map(partitionName).sort()
}

export class RecordingListener implements AssignmentListener {
  readonly owned = new Set<string>()
  readonly events: ListenerEvent[] = []

  async onAssigned(partitions: readonly TopicPartition[]): Promise<void> {
    this.events.push({ kind: 'assigned', partitions: names(partitions) })
    for (const name of names(partitions)) this.owned.add(name)
  }

  async onRevoked(partitions: readonly TopicPartition[]): Promise<void> {
    this.events.push({ kind: 'revoked', partitions: names(partitions) })
    for (const name of names(partitions)) this.owned.delete(name)
  }

  async onLost(partitions: readonly TopicPartition[]): Promise<void> {
    this.events.push({ kind: 'lost', partitions: names(partitions) })
    for (const name of names(partitions)) this.owned.delete(name)
  }

  of(kind: ListenerEvent['kind']): ListenerEvent[] {
    return this.events.filter((e) => e.kind === kind)
  }
}

export interface TestMember {
  readonly name: string
  readonly client: KafkaClient
  readonly membership: ClassicMembership
  readonly listener: RecordingListener
  /** Heartbeat answers this member's client received. */
  heartbeats(): number
  /** JoinGroup requests this member's client sent. */
  joins(): number
  stop(): Promise<void>
}

export interface MemberSpec extends Partial<Omit<ClassicMembershipOptions, 'assignors' | 'logger'>> {
  groupId: string
  topics: string[]
  assignors: Assignor[]
}

/** Starts a member: its own client, defaults sized for tests (short heartbeats and sessions). */
export async function startMember(brokers: string[], name: string, spec: MemberSpec): Promise<TestMember> {
  const client = await connectMemberClient(brokers, name)
  let heartbeats = 0
  let joins = 0
  client.on('response', (event) => {
    if (event.api === 'Heartbeat') heartbeats++
  })
  client.on('request', (event) => {
    if (event.api === 'JoinGroup') joins++
  })
  const { topics, ...options } = spec
  const membership = new ClassicMembership(client, {
    ...MEMBERSHIP_TEST_DEFAULTS,
    sessionTimeoutMs: 6000,
    heartbeatIntervalMs: 200,
    ...options,
  })
  const listener = new RecordingListener()
  membership.start(topics, listener)
  return {
    name,
    client,
    membership,
    listener,
    heartbeats: () => heartbeats,
    joins: () => joins,
    async stop() {
      await membership.leave()
      await client.close()
    },
  }
}

/**
 * Whether the members split `partitions` between them: every partition owned by
 * exactly one, each owning between floor and ceil of its share, all in one generation.
 */
export function splitEvenly(members: readonly TestMember[], partitions: number): boolean {
  const owned = members.map((m) => m.listener.owned)
  if (!ownsFairShares(owned, partitions)) return false
  const generations = new Set(members.map((m) => m.membership.groupMetadata.generationId))
  return generations.size === 1 && members.every((m) => m.membership.memberState === 'stable')
}

/** The listener view and the membership view agree (what the consumer would fetch is what the group gave). */
export function ownedAgrees(member: TestMember): boolean {
  const fromMembership = names(member.membership.assignment)
  return JSON.stringify(fromMembership) === JSON.stringify([...member.listener.owned].sort())
}
