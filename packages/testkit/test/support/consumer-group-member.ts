import { randomUUID } from 'node:crypto'
import type { KafkaClient } from '@kafkit/client'
import { type ConsumerGroupHeartbeatResponse, createConsumerGroupHeartbeatRequest } from '@kafkit/protocol'

export interface KipMemberOptions {
  groupId: string
  /** The broker coordinating the group. */
  coordinator: number
  topics?: string[] | null
  regex?: string | null
  instanceId?: string | null
  serverAssignor?: string | null
  rebalanceTimeoutMs?: number
}

let nextConnection = 0

/**
 * A KIP-848 member driven heartbeat by heartbeat, the way a consumer's
 * membership manager would, keeping its member id, epoch and the partitions it
 * owns (topic id → partitions). Each member has its own connection.
 */
export class KipMember {
  memberId: string = randomUUID()
  memberEpoch = 0
  owned = new Map<string, number[]>()
  readonly purpose = `kip848-member-${nextConnection++}`

  constructor(
    private readonly client: KafkaClient,
    readonly options: KipMemberOptions,
  ) {}

  /** A full heartbeat: every field set, owned partitions listed (epoch 0 lists none). */
  async full(): Promise<ConsumerGroupHeartbeatResponse> {
    return this.send({
      rebalanceTimeoutMs: this.options.rebalanceTimeoutMs ?? 10_000,
      subscribedTopicNames: this.options.regex ? null : (this.options.topics ?? ['t']),
      subscribedTopicRegex: this.options.regex ?? null,
      serverAssignor: this.options.serverAssignor ?? null,
      topicPartitions: this.memberEpoch === 0 ? [] : this.ownedList(),
    })
  }

  /** A partial heartbeat: only identity and epoch, everything else null (unchanged). */
  partial(): Promise<ConsumerGroupHeartbeatResponse> {
    return this.send({})
  }

  /** A heartbeat that acknowledges what it owns now (after revoking or taking partitions). */
  ack(): Promise<ConsumerGroupHeartbeatResponse> {
    return this.send({ topicPartitions: this.ownedList() })
  }

  leave(epoch = this.options.instanceId ? -2 : -1): Promise<ConsumerGroupHeartbeatResponse> {
    return this.send({ memberEpoch: epoch })
  }

  /** Takes the response's assignment as what it owns (revoking what is missing, adding what is new). */
  apply(response: ConsumerGroupHeartbeatResponse): void {
    if (response.errorCode !== 0) return
    this.memberEpoch = response.memberEpoch
    if (response.assignment) {
      this.owned = new Map(response.assignment.topicPartitions.map((t) => [t.topicId, [...t.partitions]]))
    }
  }

  count(): number {
    return [...this.owned.values()].reduce((sum, partitions) => sum + partitions.length, 0)
  }

  private ownedList() {
    return [...this.owned].map(([topicId, partitions]) => ({ topicId, partitions }))
  }

  async send(fields: Partial<Parameters<typeof createConsumerGroupHeartbeatRequest>[0]>) {
    const body = createConsumerGroupHeartbeatRequest({
      groupId: this.options.groupId,
      memberId: this.memberId,
      memberEpoch: this.memberEpoch,
      instanceId: this.options.instanceId ?? null,
      rackId: null,
      rebalanceTimeoutMs: -1,
      subscribedTopicNames: null,
      subscribedTopicRegex: null,
      serverAssignor: null,
      topicPartitions: null,
      ...fields,
    })
    return this.client.cluster.request(this.options.coordinator, 'ConsumerGroupHeartbeat', body, {
      purpose: this.purpose,
    })
  }
}
