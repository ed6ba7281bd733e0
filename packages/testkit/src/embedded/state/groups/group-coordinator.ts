import type { ClusterState } from '../cluster-state.js'
import { ClassicGroup } from './classic-group.js'
import type { ConsumerGroup } from './consumer-group.js'
import { type GroupConfig, groupConfig } from './group-config.js'
import { GroupTimers, joinKey, syncKey } from './group-timers.js'
import { OffsetStore } from './offset-store.js'

/**
 * The group coordinator's state for one cluster: groups, committed offsets and
 * timers. All brokers share it (the embedded cluster has one copy of
 * __consumer_offsets); which broker may serve a group is FindCoordinator's
 * `coordinatorFor`. It hangs off the ClusterState through a WeakMap, so a
 * dropped cluster takes its groups with it.
 */
export class GroupCoordinatorState {
  readonly groups = new Map<string, ClassicGroup>()
  /** KIP-848 consumer groups (consumer-group-heartbeat.ts); a group id names a classic or a consumer group, never both. */
  readonly consumerGroups = new Map<string, ConsumerGroup>()
  readonly offsets = new OffsetStore()
  readonly timers = new GroupTimers()

  constructor(readonly cluster: ClusterState) {}

  /** Read on each use, so broker configs changed by a test apply to the next request. */
  get config(): GroupConfig {
    return groupConfig(this.cluster)
  }

  group(groupId: string): ClassicGroup | undefined {
    return this.groups.get(groupId)
  }

  getOrCreate(groupId: string): ClassicGroup {
    const group = this.groups.get(groupId) ?? new ClassicGroup(groupId)
    this.groups.set(groupId, group)
    return group
  }

  /** Removes a group and its offsets; timers still pending for it find no group and do nothing. */
  deleteGroup(group: ClassicGroup): void {
    group.transitionTo('Dead')
    this.groups.delete(group.groupId)
    this.offsets.deleteGroup(group.groupId)
    this.timers.cancel(joinKey(group.groupId))
    this.timers.cancel(syncKey(group.groupId))
  }
}

const coordinators = new WeakMap<ClusterState, GroupCoordinatorState>()

/** The group coordinator state of a cluster, created on first use. */
export function groupsOf(cluster: ClusterState): GroupCoordinatorState {
  const state = coordinators.get(cluster) ?? new GroupCoordinatorState(cluster)
  coordinators.set(cluster, state)
  return state
}

/** Cancels every session, rebalance and sync timer of the cluster's groups, for good: call it when the cluster stops. */
export function stopGroupTimers(cluster: ClusterState): void {
  coordinators.get(cluster)?.timers.stop()
}
