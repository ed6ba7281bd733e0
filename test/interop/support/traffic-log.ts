import type { ApiMessages, ApiName } from '@kafkit/protocol'
import type { EmbeddedControl } from '@kafkit/testkit'

/** One request as a broker received it. */
export interface ServedRequest {
  readonly api: ApiName
  readonly version: number
  readonly broker: number
  readonly clientId: string | null
}

type Watcher<N extends ApiName> = (request: ApiMessages[N]['request'], served: ServedRequest) => void

/**
 * Observes every request the embedded brokers serve (an interceptor per API
 * that only looks), so a test can check how a third-party client talked to the
 * cluster (which versions, which brokers) and print it when something fails.
 * Against a cluster without a control API it records nothing.
 */
export class TrafficLog {
  private entries: ServedRequest[] = []
  private readonly removers: (() => void)[] = []
  private readonly watchers = new Map<ApiName, Set<Watcher<ApiName>>>()

  constructor(control: EmbeddedControl | undefined) {
    for (const { api } of control?.supportedApis() ?? []) {
      this.removers.push(
        control!.intercept(api, {}, (request, context) => {
          const served = {
            api,
            version: context.version,
            broker: context.broker.nodeId,
            clientId: context.header.clientId ?? null,
          }
          this.entries.push(served)
          for (const watch of this.watchers.get(api) ?? []) watch(request, served)
        }),
      )
    }
  }

  /** Calls `watch` with every request of `api` from now on; returns a function that stops it. */
  watch<N extends ApiName>(api: N, watch: Watcher<N>): () => void {
    let set = this.watchers.get(api)
    if (!set) {
      set = new Set()
      this.watchers.set(api, set)
    }
    set.add(watch as unknown as Watcher<ApiName>)
    return () => set.delete(watch as unknown as Watcher<ApiName>)
  }

  requests(api?: ApiName): readonly ServedRequest[] {
    return api === undefined ? this.entries : this.entries.filter((entry) => entry.api === api)
  }

  /** Versions of `api` the clients used, sorted. */
  versions(api: ApiName): number[] {
    return [...new Set(this.requests(api).map((entry) => entry.version))].sort((a, b) => a - b)
  }

  /** "Produce v7 ×12 on brokers 1,2,3" lines, one per API and version. */
  summary(): string {
    const groups = new Map<string, { count: number; brokers: Set<number> }>()
    for (const entry of this.entries) {
      const key = `${entry.api} v${entry.version}`
      const group = groups.get(key) ?? { count: 0, brokers: new Set() }
      group.count++
      group.brokers.add(entry.broker)
      groups.set(key, group)
    }
    if (groups.size === 0) return '  (none recorded)'
    return [...groups]
      .map(([key, { count, brokers }]) => `  ${key} ×${count} on brokers ${[...brokers].sort().join(',')}`)
      .join('\n')
  }

  clear(): void {
    this.entries = []
  }

  stop(): void {
    for (const remove of this.removers.splice(0)) remove()
    this.watchers.clear()
  }
}

/**
 * Watches Produce and Fetch requests for partitions sent to a broker that does
 * not lead them (a client that does not route by leader). Returns a function
 * that stops watching and gives the misrouted requests found.
 */
export function watchLeaderRouting(traffic: TrafficLog, control: EmbeddedControl | undefined): () => string[] {
  const misrouted: string[] = []
  if (!control) return () => misrouted
  const leaderOf = (topic: string | undefined, partition: number) =>
    topic === undefined ? undefined : control.state.topics.get(topic)?.partitions[partition]?.leader
  const nameOf = (name: string, topicId: string) => (name !== '' ? name : control.state.topicsById.get(topicId)?.name)
  const check = (api: string, broker: number, topic: string | undefined, partition: number) => {
    const leader = leaderOf(topic, partition)
    if (leader !== undefined && leader !== broker)
      misrouted.push(`${api} for ${topic}-${partition} sent to broker ${broker}, leader is ${leader}`)
  }
  const stops = [
    traffic.watch('Produce', (request, served) => {
      for (const topic of request.topicData)
        for (const p of topic.partitionData) check('Produce', served.broker, nameOf(topic.name, topic.topicId), p.index)
    }),
    traffic.watch('Fetch', (request, served) => {
      if (request.replicaId >= 0 || request.replicaState.replicaId >= 0) return
      for (const topic of request.topics)
        for (const p of topic.partitions) check('Fetch', served.broker, nameOf(topic.topic, topic.topicId), p.partition)
    }),
  ]
  return () => {
    for (const stop of stops) stop()
    return misrouted
  }
}
