import type { KafkaClient } from '@kafkit/client'
import {
  createHeartbeatRequest,
  createJoinGroupRequest,
  createLeaveGroupRequest,
  createSyncGroupRequest,
  encodeConsumerProtocolSubscription,
  type JoinGroupResponse,
  type SyncGroupResponse,
  Writer,
} from '@kafkit/protocol'

const MEMBER_ID_REQUIRED = 79

export interface MemberOptions {
  groupId: string
  /** The broker coordinating the group. */
  coordinator: number
  sessionTimeoutMs?: number
  rebalanceTimeoutMs?: number
  groupInstanceId?: string | null
  protocolType?: string
  protocols?: { name: string; metadata: Buffer }[]
  /** A JoinGroup version other than the negotiated one. */
  joinVersion?: number
}

let nextConnection = 0

/**
 * A group member driven request by request, the way a consumer's coordinator
 * client would. Each member talks over its own connection, because a broker
 * serves a connection's requests one at a time and JoinGroup waits there
 * until the rebalance completes.
 */
export class TestMember {
  memberId = ''
  generationId = -1
  readonly purpose = `member-${nextConnection++}`

  constructor(
    private readonly client: KafkaClient,
    readonly options: MemberOptions,
  ) {}

  /** Sends one JoinGroup with the current member id and returns the raw answer. */
  async joinOnce(): Promise<JoinGroupResponse> {
    const o = this.options
    const body = createJoinGroupRequest({
      groupId: o.groupId,
      sessionTimeoutMs: o.sessionTimeoutMs ?? 10_000,
      rebalanceTimeoutMs: o.rebalanceTimeoutMs ?? 10_000,
      memberId: this.memberId,
      groupInstanceId: o.groupInstanceId ?? null,
      protocolType: o.protocolType ?? 'consumer',
      protocols: o.protocols ?? [{ name: 'range', metadata: subscription(['t']) }],
    })
    const response = await this.client.cluster.request(o.coordinator, 'JoinGroup', body, {
      purpose: this.purpose,
      ...(o.joinVersion === undefined ? {} : { version: o.joinVersion }),
    })
    if (response.memberId !== '') this.memberId = response.memberId
    if (response.errorCode === 0) this.generationId = response.generationId
    return response
  }

  /** Joins like a client: a MEMBER_ID_REQUIRED answer is followed by a join with the given id. */
  async join(): Promise<JoinGroupResponse> {
    const first = await this.joinOnce()
    return first.errorCode === MEMBER_ID_REQUIRED ? this.joinOnce() : first
  }

  sync(assignments: Record<string, Buffer> = {}, generationId = this.generationId): Promise<SyncGroupResponse> {
    const body = createSyncGroupRequest({
      groupId: this.options.groupId,
      generationId,
      memberId: this.memberId,
      groupInstanceId: this.options.groupInstanceId ?? null,
      protocolType: this.options.protocolType ?? 'consumer',
      protocolName: this.options.protocols?.[0]?.name ?? 'range',
      assignments: Object.entries(assignments).map(([memberId, assignment]) => ({ memberId, assignment })),
    })
    return this.client.cluster.request(this.options.coordinator, 'SyncGroup', body, { purpose: this.purpose })
  }

  async heartbeat(generationId = this.generationId): Promise<number> {
    const body = createHeartbeatRequest({
      groupId: this.options.groupId,
      generationId,
      memberId: this.memberId,
      groupInstanceId: this.options.groupInstanceId ?? null,
    })
    const response = await this.client.cluster.request(this.options.coordinator, 'Heartbeat', body, {
      purpose: this.purpose,
    })
    return response.errorCode
  }

  async leave(): Promise<number> {
    const body = createLeaveGroupRequest({
      groupId: this.options.groupId,
      members: [{ memberId: this.memberId, groupInstanceId: this.options.groupInstanceId ?? null, reason: null }],
    })
    const response = await this.client.cluster.request(this.options.coordinator, 'LeaveGroup', body, {
      purpose: this.purpose,
    })
    return response.errorCode || (response.members[0]?.errorCode ?? 0)
  }
}

/** ConsumerProtocolSubscription bytes (version 0) for the topics, as a Java consumer sends them. */
export function subscription(topics: string[]): Buffer {
  const writer = new Writer()
  writer.int16(0)
  encodeConsumerProtocolSubscription(writer, 0, {
    topics,
    userData: null,
    ownedPartitions: [],
    generationId: -1,
    rackId: null,
  })
  return Buffer.from(writer.bytes())
}

/** Polls `check` until it returns a value other than undefined, for state a timer changes. */
export async function eventually<T>(
  check: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}
