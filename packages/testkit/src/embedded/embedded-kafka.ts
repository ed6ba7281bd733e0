import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ApiName } from '@kafkit/protocol'
import { SASL_MECHANISMS, type SaslUser } from '../jar/broker-properties.js'
import type { KafkaTestCluster, ListenerEndpoint, NodeControl, SecurityProtocol } from '../kafka-cluster.js'
import { type InterceptOptions, type Interceptor, Interceptors } from './control/interceptors.js'
import { EmbeddedBroker, type ListenerName } from './embedded-broker.js'
import { defaultHandlers } from './handlers/registry.js'
import type { SaslUserStore } from './sasl/sasl-server.js'
import type { AuthorizerOptions } from './security/authorizer.js'
import { configureSecurity, type SecurityState } from './security/security-state.js'
import { ClusterState, type PartitionState } from './state/cluster-state.js'
import { fetchSessionsOf } from './state/fetch-sessions.js'
import { stopGroupTimers } from './state/groups/group-coordinator.js'
import { applyRetention, startLogCleaner } from './state/log-cleaner.js'
import { stopTransactionTimers } from './state/transactions/transaction-state.js'

export interface EmbeddedKafkaOptions {
  /** Number of brokers (default 1). */
  brokers?: number
  /** PLAINTEXT ports by broker, in order; missing ones are chosen by the OS. */
  ports?: number[]
  /** Also open SSL, SASL_PLAINTEXT and SASL_SSL listeners (default true). */
  security?: boolean
  /** SASL users, valid with PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512 (default alice/alice-secret, admin/admin-secret). */
  saslUsers?: SaslUser[]
  /** Session lifetime granted to SASL clients, like connections.max.reauth.ms (default 0: none). */
  reauthenticationMs?: number
  /** Create topics a Metadata request asks for, when it allows it (auto.create.topics.enable, default true). */
  autoCreateTopics?: boolean
  /** Partitions of auto-created topics (num.partitions, default 1). */
  defaultPartitions?: number
  /** Replicas of auto-created topics (default.replication.factor, default min(3, brokers)). */
  defaultReplicationFactor?: number
  /** Rack of each broker, in order (broker.rack). */
  racks?: string[]
  /**
   * Enforce ACLs, as a Kafka broker with authorizer.class.name set does (default: off, every
   * principal may do everything and the ACL APIs answer SECURITY_DISABLED). Principals are
   * `User:<SASL username>`, `User:ANONYMOUS` without SASL.
   */
  authorizer?: AuthorizerOptions
  /** Where the brokers report connections they closed for bad requests (default: nowhere). */
  onError?: (message: string, error: unknown) => void
}

const TLS_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../tls')
const DEFAULT_USERS: SaslUser[] = [
  { username: 'alice', password: 'alice-secret' },
  { username: 'admin', password: 'admin-secret' },
]

/** Test hooks of an embedded cluster: intercept requests, stop brokers, move leaders. */
export interface EmbeddedControl {
  /**
   * Runs `interceptor` on matching requests of `api` before the broker handles
   * them: to observe, delay, answer, inject an error or drop the connection.
   * Returns a function that removes it.
   */
  intercept<N extends ApiName>(api: N, options: InterceptOptions<N>, interceptor: Interceptor<N>): () => void
  clearInterceptors(): void
  /** Stops a broker: its connections close, new ones are refused, its partitions elect other leaders. */
  stopBroker(nodeId: number): Promise<void>
  /** Starts a stopped broker again on the same ports; it rejoins the ISR of its partitions. */
  startBroker(nodeId: number): Promise<void>
  /** Makes `nodeId` the leader of a partition, bumping its leader epoch. */
  moveLeader(topic: string, partition: number, nodeId: number): void
  /** The cluster's state, for assertions. */
  readonly state: ClusterState
  /** Applies retention.ms, retention.bytes and compaction now, instead of waiting for the cleaner's timer. */
  applyRetention(): Promise<void>
  /** The APIs and versions the brokers serve (what ApiVersions advertises). */
  supportedApis(): { api: ApiName; minVersion: number; maxVersion: number }[]
}

export interface EmbeddedKafka extends KafkaTestCluster {
  readonly control: EmbeddedControl
}

/** Starts an embedded Kafka cluster in this process: brokers on 127.0.0.1, ready when this resolves. */
export async function startEmbeddedKafka(options: EmbeddedKafkaOptions = {}): Promise<EmbeddedKafka> {
  const count = options.brokers ?? 1
  if (!Number.isInteger(count) || count < 1) throw new Error(`brokers must be a positive integer, got ${count}`)
  const security = options.security ?? true
  const users = options.saslUsers ?? DEFAULT_USERS
  const listeners: ListenerName[] = security ? ['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'] : ['PLAINTEXT']
  const tls = security
    ? {
        cert: readFileSync(join(TLS_DIR, 'broker.pem'), 'utf8'),
        key: readFileSync(join(TLS_DIR, 'broker-key.pem'), 'utf8'),
        ca: readFileSync(join(TLS_DIR, 'ca.pem'), 'utf8'),
      }
    : undefined
  const cluster = new ClusterState({
    autoCreateTopics: options.autoCreateTopics ?? true,
    defaultPartitions: options.defaultPartitions ?? 1,
    defaultReplicationFactor: options.defaultReplicationFactor ?? Math.min(3, count),
  })
  const handlers = defaultHandlers()
  const interceptors = new Interceptors()
  const store = userStore(users, configureSecurity(cluster, { authorizer: options.authorizer, users }))
  const brokers: EmbeddedBroker[] = []
  for (let i = 0; i < count; i++) {
    const state = { nodeId: i + 1, host: '127.0.0.1', ports: {}, rack: options.racks?.[i] ?? null, running: false }
    cluster.brokers.push(state)
    brokers.push(
      new EmbeddedBroker(state, cluster, handlers, interceptors, {
        listeners,
        ports: options.ports?.[i] === undefined ? {} : { PLAINTEXT: options.ports[i] },
        tls,
        users: store,
        reauthenticationMs: options.reauthenticationMs ?? 0,
        onError: options.onError ?? (() => {}),
      }),
    )
  }
  try {
    await Promise.all(brokers.map((broker) => broker.start()))
  } catch (error) {
    await Promise.all(brokers.map((broker) => broker.stop()))
    throw error
  }
  return new EmbeddedCluster(cluster, brokers, interceptors, listeners, users, tls?.ca, startLogCleaner(cluster))
}

/**
 * PLAIN passwords are fixed at start-up (Kafka reads them from the JAAS config);
 * SCRAM credentials live in the cluster's ScramStore, where the start-up users
 * get both mechanisms (as `kafka-storage --add-scram` gives them) and
 * AlterUserScramCredentials changes them.
 */
function userStore(users: SaslUser[], security: SecurityState): SaslUserStore {
  const passwords = new Map(users.map((user) => [user.username, user.password]))
  return {
    plainPassword: (username) => passwords.get(username),
    scram: (mechanism, username) => security.scram.get(username, mechanism),
  }
}

class EmbeddedCluster implements EmbeddedKafka {
  readonly target = 'embedded'
  readonly control: EmbeddedControl
  readonly nodes: NodeControl
  private stopped = false

  constructor(
    private readonly state: ClusterState,
    private readonly brokers: EmbeddedBroker[],
    private readonly interceptors: Interceptors,
    private readonly listenerNames: ListenerName[],
    private readonly users: SaslUser[],
    private readonly caPem: string | undefined,
    private readonly stopLogCleaner: () => void,
  ) {
    const broker = (nodeId: number) => {
      const found = brokers.find((b) => b.nodeId === nodeId)
      if (!found) throw new Error(`no broker ${nodeId}: brokers are ${brokers.map((b) => b.nodeId).join(', ')}`)
      return found
    }
    const stopBroker = async (nodeId: number) => {
      const stopping = broker(nodeId)
      await stopping.stop()
      // A restarted Kafka broker has forgotten its fetch sessions.
      fetchSessionsOf(stopping).clear()
      state.brokerStopped(nodeId)
    }
    const startBroker = async (nodeId: number) => {
      await broker(nodeId).start()
      state.brokerStarted(nodeId)
    }
    this.control = {
      intercept: (api, options, interceptor) => interceptors.add(api, options, interceptor),
      clearInterceptors: () => interceptors.clear(),
      stopBroker,
      startBroker,
      moveLeader: (topic, partition, nodeId) => state.moveLeader(this.partition(topic, partition), nodeId),
      state,
      applyRetention: () => applyRetention(state),
      supportedApis: () =>
        [...(brokers[0]?.handlers.values() ?? [])].map(({ api, minVersion, maxVersion }) => ({
          api,
          minVersion,
          maxVersion,
        })),
    }
    this.nodes = {
      nodeIds: brokers.map((b) => b.nodeId),
      kill: stopBroker,
      stop: stopBroker,
      start: startBroker,
      isRunning: (nodeId) => broker(nodeId).running,
    }
  }

  private partition(topic: string, partition: number): PartitionState {
    const found = this.state.topics.get(topic)?.partitions[partition]
    if (!found) throw new Error(`no partition ${topic}-${partition}`)
    return found
  }

  private servers(listener: ListenerName): string[] {
    return this.state.brokers.flatMap((b) =>
      b.ports[listener] === undefined ? [] : [`127.0.0.1:${b.ports[listener]}`],
    )
  }

  get bootstrapServers(): string[] {
    return this.servers('PLAINTEXT')
  }

  get listeners(): Partial<Record<SecurityProtocol, ListenerEndpoint>> {
    const tls = this.caPem === undefined ? undefined : { caPem: this.caPem, caPath: join(TLS_DIR, 'ca.pem') }
    const sasl = { mechanisms: SASL_MECHANISMS, users: this.users }
    const out: Partial<Record<SecurityProtocol, ListenerEndpoint>> = {}
    for (const name of this.listenerNames) {
      out[name] = {
        securityProtocol: name,
        bootstrapServers: this.servers(name),
        ...(name === 'SSL' || name === 'SASL_SSL' ? { tls } : {}),
        ...(name === 'SASL_PLAINTEXT' || name === 'SASL_SSL' ? { sasl } : {}),
      }
    }
    return out
  }

  async stop(): Promise<void> {
    if (this.stopped) return
    this.stopped = true
    this.interceptors.clear()
    stopGroupTimers(this.state)
    stopTransactionTimers(this.state)
    this.stopLogCleaner()
    await Promise.all(this.brokers.map((broker) => broker.stop()))
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop()
  }
}
