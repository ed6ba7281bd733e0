import type { SaslMechanism, SaslUser } from './jar/broker-properties.js'

export type { SaslMechanism, SaslUser }

/** Where a test's Kafka comes from. */
export type KafkaTargetName = 'embedded' | 'jar' | 'testcontainers' | 'external'

export type SecurityProtocol = 'PLAINTEXT' | 'SSL' | 'SASL_PLAINTEXT' | 'SASL_SSL'

/** How to reach one listener of the cluster and what it asks of a client. */
export interface ListenerEndpoint {
  securityProtocol: SecurityProtocol
  bootstrapServers: string[]
  /** For SSL and SASL_SSL: the CA that signed the broker certificates (PEM), and a file holding it. */
  tls?: { caPem: string; caPath: string }
  /** For SASL_PLAINTEXT and SASL_SSL: the mechanisms offered, and users valid with every one of them. */
  sasl?: { mechanisms: readonly SaslMechanism[]; users: readonly SaslUser[] }
}

/** Process-level control of the nodes of a cluster started from the jars. */
export interface NodeControl {
  readonly nodeIds: readonly number[]
  /** kill -9 a node: no controlled shutdown, no leadership hand-over. */
  kill(nodeId: number): Promise<void>
  /** Stop a node cleanly (SIGTERM, controlled shutdown). */
  stop(nodeId: number): Promise<void>
  /** Start a stopped or killed node again, with its data; resolves when it serves requests. */
  start(nodeId: number): Promise<void>
  isRunning(nodeId: number): boolean
}

export interface StopOptions {
  /** Keep the cluster's folder (logs, data) for a look after a failed test. */
  keepFiles?: boolean
}

/** A Kafka cluster for tests, whichever target started it. */
export interface KafkaTestCluster extends AsyncDisposable {
  readonly target: KafkaTargetName
  /** Bootstrap servers of the PLAINTEXT listener. */
  readonly bootstrapServers: string[]
  readonly listeners: Partial<Record<SecurityProtocol, ListenerEndpoint>>
  /** Jar target only: stop, kill and restart nodes. */
  readonly nodes?: NodeControl
  /** Jar target only: the folder with each node's server.log and data. */
  readonly dir?: string
  stop(options?: StopOptions): Promise<void>
}
