import type { TlsMaterial } from './tls-material.js'

export interface SaslUser {
  username: string
  password: string
}

export interface NodePorts {
  plaintext: number
  controller: number
  ssl?: number
  saslPlaintext?: number
  saslSsl?: number
}

export interface NodeProperties {
  nodeId: number
  dataDir: string
  ports: NodePorts
  /** Every controller of the cluster: several means a static quorum, one a standalone node. */
  voters: { nodeId: number; controllerPort: number }[]
  replicationFactor: number
  minInsyncReplicas: number
  tls?: TlsMaterial
  saslUsers: SaslUser[]
  /** Broker settings that override the defaults below. */
  overrides?: Record<string, string>
}

export const SASL_MECHANISMS = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'] as const
export type SaslMechanism = (typeof SASL_MECHANISMS)[number]

const HOST = '127.0.0.1'
/** Principals the jar target's authorizer allows everything. */
export const SUPER_USERS = ['User:ANONYMOUS', 'User:admin']

function plainJaas(users: SaslUser[]): string {
  const entries = users.map((user) => `user_${user.username}="${user.password}"`).join(' ')
  return `org.apache.kafka.common.security.plain.PlainLoginModule required ${entries};`
}

/**
 * server.properties of one combined broker+controller node in KRaft mode. Each
 * SASL listener needs a JAAS entry per mechanism; SCRAM users themselves are
 * written into the metadata log when storage is formatted.
 */
export function nodeProperties(node: NodeProperties): string {
  const { ports } = node
  const listeners: [string, number | undefined][] = [
    ['PLAINTEXT', ports.plaintext],
    ['SSL', ports.ssl],
    ['SASL_PLAINTEXT', ports.saslPlaintext],
    ['SASL_SSL', ports.saslSsl],
  ]
  const enabled = listeners.filter((entry): entry is [string, number] => entry[1] !== undefined)
  const props: Record<string, string> = {
    'process.roles': 'broker,controller',
    'node.id': String(node.nodeId),
    listeners: [...enabled, ['CONTROLLER', ports.controller] as const]
      .map(([name, port]) => `${name}://${HOST}:${port}`)
      .join(','),
    'advertised.listeners': enabled.map(([name, port]) => `${name}://${HOST}:${port}`).join(','),
    'listener.security.protocol.map':
      'PLAINTEXT:PLAINTEXT,SSL:SSL,SASL_PLAINTEXT:SASL_PLAINTEXT,SASL_SSL:SASL_SSL,CONTROLLER:PLAINTEXT',
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    'log.dirs': node.dataDir,
    'num.partitions': '1',
    'default.replication.factor': String(node.replicationFactor),
    'min.insync.replicas': String(node.minInsyncReplicas),
    'offsets.topic.replication.factor': String(node.replicationFactor),
    'transaction.state.log.replication.factor': String(node.replicationFactor),
    'transaction.state.log.min.isr': String(node.minInsyncReplicas),
    'share.coordinator.state.topic.replication.factor': String(node.replicationFactor),
    'share.coordinator.state.topic.min.isr': String(node.minInsyncReplicas),
    // Tests should not wait for the production-sized delays.
    'group.initial.rebalance.delay.ms': '0',
    'broker.heartbeat.interval.ms': '500',
    'broker.session.timeout.ms': '3000',
    'replica.lag.time.max.ms': '5000',
    'log.cleaner.dedupe.buffer.size': String(16 * 1024 * 1024),
    // ACLs are enforced as in a secured cluster, yet a resource no ACL names stays open, so only
    // tests that create ACLs see refusals. Super users: the PLAINTEXT listeners' principal (the
    // controller and inter-broker connections, and plaintext clients) and the SASL admin.
    'authorizer.class.name': 'org.apache.kafka.metadata.authorizer.StandardAuthorizer',
    'allow.everyone.if.no.acl.found': 'true',
    'super.users': SUPER_USERS.join(';'),
  }
  if (node.voters.length === 1) props['controller.quorum.bootstrap.servers'] = `${HOST}:${ports.controller}`
  else props['controller.quorum.voters'] = node.voters.map((v) => `${v.nodeId}@${HOST}:${v.controllerPort}`).join(',')
  if (node.tls) {
    props['ssl.keystore.location'] = node.tls.brokerKeystorePath
    props['ssl.keystore.type'] = 'PKCS12'
    props['ssl.keystore.password'] = node.tls.password
    props['ssl.key.password'] = node.tls.password
  }
  if (ports.saslPlaintext !== undefined || ports.saslSsl !== undefined) {
    props['sasl.enabled.mechanisms'] = SASL_MECHANISMS.join(',')
    for (const listener of ['sasl_plaintext', 'sasl_ssl']) {
      props[`listener.name.${listener}.plain.sasl.jaas.config`] = plainJaas(node.saslUsers)
      for (const scram of ['scram-sha-256', 'scram-sha-512']) {
        props[`listener.name.${listener}.${scram}.sasl.jaas.config`] =
          'org.apache.kafka.common.security.scram.ScramLoginModule required;'
      }
    }
  }
  Object.assign(props, node.overrides)
  return `${Object.entries(props)
    .map(([key, value]) => `${key}=${value}`)
    .join('\n')}\n`
}

/** StorageTool arguments that create the SCRAM credentials of every user for both SCRAM mechanisms. */
export function scramFormatArguments(users: SaslUser[]): string[] {
  return users.flatMap((user) =>
    ['SCRAM-SHA-256', 'SCRAM-SHA-512'].flatMap((mechanism) => [
      '--add-scram',
      `${mechanism}=[name=${user.username},password=${user.password}]`,
    ]),
  )
}

export const LOG4J2_PROPERTIES = `rootLogger.level=INFO
rootLogger.appenderRef.stdout.ref=STDOUT
appender.stdout.type=Console
appender.stdout.name=STDOUT
appender.stdout.layout.type=PatternLayout
appender.stdout.layout.pattern=[%d] %p %m (%c)%n
logger.kafka.name=kafka
logger.kafka.level=INFO
logger.state.name=state.change.logger
logger.state.level=WARN
`
