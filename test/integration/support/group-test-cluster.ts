import type { EmbeddedKafka } from '@kafkit/testkit'
import { afterEach } from 'vitest'
import { type TestClusterHandle, useTestCluster } from './test-cluster.js'

/**
 * `useTestCluster` with group coordinator settings for every target: a real
 * broker takes them as broker config, the embedded broker as dynamic
 * cluster-wide broker configs (the only way it takes them).
 */
export async function useGroupTestCluster(groupConfig: Record<string, string>): Promise<TestClusterHandle> {
  const handle = await useTestCluster({ brokerConfig: groupConfig })
  if (handle.cluster?.target === 'embedded') {
    ;(handle.cluster as unknown as EmbeddedKafka).control.state.brokerConfigs.set(
      '',
      new Map(Object.entries(groupConfig)),
    )
  }
  return handle
}

export interface StartedMembers<M extends { stop(): Promise<void> }> {
  /** Remembers a member the test started, so it is stopped after the test. */
  add(member: M): M
  /** Stops a member now (it then is not stopped again after the test). */
  stop(member: M): Promise<void>
}

/** The group members a test file starts: whatever a test leaves running is stopped after it. */
export function useStartedMembers<M extends { stop(): Promise<void> }>(): StartedMembers<M> {
  let started: M[] = []
  afterEach(async () => {
    await Promise.all(started.map((m) => m.stop()))
    started = []
  })
  return {
    add(member) {
      started.push(member)
      return member
    },
    async stop(member) {
      started = started.filter((other) => other !== member)
      await member.stop()
    },
  }
}
