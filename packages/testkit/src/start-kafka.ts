import { startEmbeddedKafka } from './embedded/embedded-kafka.js'
import type { AuthorizerOptions } from './embedded/security/authorizer.js'
import { externalCluster } from './external-cluster.js'
import { startJarCluster } from './jar/jar-cluster.js'
import type { KafkaTargetName, KafkaTestCluster } from './kafka-cluster.js'
import { TargetUnavailableError } from './target-unavailable.js'
import { startTestcontainersCluster } from './testcontainers/testcontainers-cluster.js'

export interface StartKafkaOptions {
  /** Number of brokers: 1 (default) or 3 (replication factor 3, min.insync.replicas 2). */
  brokers?: number
  /** Overrides KAFKIT_TARGET. KAFKA_BROKERS, when set, always wins: tests then use that cluster. */
  target?: KafkaTargetName
  /** Jar target: also open SSL and SASL listeners (default: for a single broker). */
  security?: boolean
  /** Jar target: broker settings over kafkit's test defaults. */
  brokerConfig?: Record<string, string>
}

/**
 * The embedded broker takes few broker settings; a session lifetime
 * (connections.max.reauth.ms, plain or listener-prefixed) is one it honours, for
 * every SASL listener.
 */
function reauthenticationMs(config: Record<string, string> | undefined): number | undefined {
  const entry = Object.entries(config ?? {}).find(([key]) => key.endsWith('connections.max.reauth.ms'))
  return entry ? Number(entry[1]) : undefined
}

/**
 * The embedded broker enforces ACLs when the settings name an authorizer
 * (authorizer.class.name), with the same super.users and
 * allow.everyone.if.no.acl.found, so one test file runs on every target.
 */
function authorizer(config: Record<string, string> | undefined): AuthorizerOptions | undefined {
  if (!config?.['authorizer.class.name']) return undefined
  return {
    superUsers: (config['super.users'] ?? '').split(';').filter((user) => user !== ''),
    allowEveryoneIfNoAclFound: config['allow.everyone.if.no.acl.found'] === 'true',
  }
}

const TARGETS: readonly KafkaTargetName[] = ['embedded', 'jar', 'testcontainers', 'external']

/** The target chosen by options and environment: KAFKA_BROKERS, then KAFKIT_TARGET, then the default. */
export function selectedTarget(options: StartKafkaOptions = {}): KafkaTargetName {
  if (process.env.KAFKA_BROKERS) return 'external'
  const named = options.target ?? process.env.KAFKIT_TARGET ?? 'embedded'
  if (!TARGETS.includes(named as KafkaTargetName)) {
    throw new Error(`KAFKIT_TARGET="${named}" is not a target: use one of ${TARGETS.join(', ')}`)
  }
  return named as KafkaTargetName
}

/**
 * A Kafka cluster for tests, from the target the environment selects:
 *
 * - KAFKA_BROKERS=host:port,... : an external cluster (never stopped by kafkit)
 * - KAFKIT_TARGET=embedded (the default): kafkit's in-process broker
 * - KAFKIT_TARGET=jar: Apache Kafka 4.1.1 from its jars, Java 17+ and Maven needed
 * - KAFKIT_TARGET=testcontainers: a Kafka 4.1 container, a Docker engine needed
 *
 * A target that cannot start here rejects with TargetUnavailableError saying why.
 */
export async function startKafka(options: StartKafkaOptions = {}): Promise<KafkaTestCluster> {
  const brokers = options.brokers ?? 1
  if (!Number.isInteger(brokers) || brokers < 1) throw new Error(`brokers must be a positive integer, got ${brokers}`)
  const target = selectedTarget(options)
  switch (target) {
    case 'external':
      return externalCluster(process.env.KAFKA_BROKERS ?? '')
    case 'jar':
      return startJarCluster({ nodes: brokers, security: options.security, brokerConfig: options.brokerConfig })
    case 'testcontainers':
      if (brokers !== 1) throw new TargetUnavailableError(target, 'the testcontainers target runs a single broker')
      return startTestcontainersCluster(process.env.KAFKIT_TESTCONTAINERS_IMAGE)
    case 'embedded':
      return startEmbeddedKafka({
        brokers,
        security: options.security,
        reauthenticationMs: reauthenticationMs(options.brokerConfig),
        authorizer: authorizer(options.brokerConfig),
      })
  }
}
