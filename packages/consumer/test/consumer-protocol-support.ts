// Members of a KIP-848 consumer group for membership tests: each with its own client (as
// separate consumers would be) and a listener that records what it owns, into a shared
// ownership ledger that notices a partition handed to a member while another still owns it.
import type { KafkaClient } from '@kafkit/client'
import type { TopicPartition } from '../src/assignors/index.js'
import {
  ConsumerProtocolMembership,
  type ConsumerProtocolMembershipOptions,
} from '../src/group/consumer-protocol/index.js'
import type { AssignmentListener } from '../src/group/group-membership.js'
import {
  connectMemberClient,
  MEMBERSHIP_TEST_DEFAULTS,
  partitionName as name,
  ownsFairShares,
} from './membership-support.js'

/** Who owns each partition, across the members of a test, and every time two owned one at once. */
export class OwnershipLedger {
  readonly owners = new Map<string, string>()
  readonly overlaps: string[] = []
  readonly timeline: string[] = []

  take(member: string, partitions: readonly TopicPartition[]): void {
    for (const tp of partitions) {
      const owner = this.owners.get(name(tp))
      if (owner !== undefined && owner !== member) this.overlaps.push(`${name(tp)}: ${member} while ${owner}`)
      this.owners.set(name(tp), member)
      this.timeline.push(`${member} +${name(tp)}`)
    }
  }

  release(member: string, partitions: readonly TopicPartition[], how: string): void {
    for (const tp of partitions) {
      if (this.owners.get(name(tp)) === member) this.owners.delete(name(tp))
      this.timeline.push(`${member} ${how}${name(tp)}`)
    }
  }
}

export class LedgerListener implements AssignmentListener {
  readonly owned = new Set<string>()
  readonly events: { kind: 'assigned' | 'revoked' | 'lost'; partitions: string[] }[] = []

  constructor(
    private readonly member: string,
    private readonly ledger: OwnershipLedger,
    /** Lets a test hold a revocation open (a slow commit). */
    private readonly beforeRevoke: () => Promise<void> = async () => {},
  ) {}

  async onAssigned(partitions: readonly TopicPartition[]): Promise<void> {
    this.events.push({ kind: 'assigned', partitions: partitions.map(name) })
    this.ledger.take(this.member, partitions)
    for (const tp of partitions) this.owned.add(name(tp))
  }

  async onRevoked(partitions: readonly TopicPartition[]): Promise<void> {
    await this.beforeRevoke()
    this.events.push({ kind: 'revoked', partitions: partitions.map(name) })
    for (const tp of partitions) this.owned.delete(name(tp))
    this.ledger.release(this.member, partitions, '-')
  }

  async onLost(partitions: readonly TopicPartition[]): Promise<void> {
    this.events.push({ kind: 'lost', partitions: partitions.map(name) })
    for (const tp of partitions) this.owned.delete(name(tp))
    this.ledger.release(this.member, partitions, 'lost ')
  }
}

export interface KipTestMember {
  readonly name: string
  readonly client: KafkaClient
  readonly membership: ConsumerProtocolMembership
  readonly listener: LedgerListener
  stop(): Promise<void>
}

export interface KipMemberSpec extends Partial<Omit<ConsumerProtocolMembershipOptions, 'logger'>> {
  groupId: string
  topics: string[]
  beforeRevoke?: () => Promise<void>
}

export async function startKipMember(
  brokers: string[],
  member: string,
  spec: KipMemberSpec,
  ledger: OwnershipLedger,
): Promise<KipTestMember> {
  const client = await connectMemberClient(brokers, member)
  const { topics, beforeRevoke, ...options } = spec
  const membership = new ConsumerProtocolMembership(client, {
    ...MEMBERSHIP_TEST_DEFAULTS,
    serverAssignor: null,
    subscribedTopicRegex: null,
    ...options,
  })
  const listener = new LedgerListener(member, ledger, beforeRevoke)
  membership.start(topics, listener)
  return {
    name: member,
    client,
    membership,
    listener,
    async stop() {
      await membership.leave()
      await client.close()
    },
  }
}

/** Every partition owned by exactly one member, each owning floor or ceil of its share, all stable. */
export function splitEvenly(members: readonly KipTestMember[], partitions: number): boolean {
  const owned = members.map((m) => m.listener.owned)
  return (
    ownsFairShares(owned, partitions) &&
    members.every(
      (m) => m.membership.memberState === 'stable' && m.membership.assignment.length === m.listener.owned.size,
    )
  )
}
