import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomUuid } from '@kafkit/protocol'
import type {
  KafkaTestCluster,
  ListenerEndpoint,
  NodeControl,
  SecurityProtocol,
  StopOptions,
} from '../kafka-cluster.js'
import {
  LOG4J2_PROPERTIES,
  type NodePorts,
  nodeProperties,
  SASL_MECHANISMS,
  type SaslUser,
  scramFormatArguments,
} from './broker-properties.js'
import { runChecked } from './commands.js'
import { freePorts } from './free-ports.js'
import { JarKafkaNode } from './jar-node.js'
import { kafkaJarsDir } from './kafka-jars.js'
import { type TlsMaterial, tlsMaterial } from './tls-material.js'

export interface JarClusterOptions {
  /** 1 (default) or 3 nodes; every node is both broker and controller. */
  nodes?: number
  /**
   * Also open SSL, SASL_PLAINTEXT and SASL_SSL listeners (PLAIN, SCRAM-SHA-256,
   * SCRAM-SHA-512). Default: true for a single node, false for several.
   */
  security?: boolean
  saslUsers?: SaslUser[]
  /** Broker settings that override kafkit's test defaults. */
  brokerConfig?: Record<string, string>
  /** Parent of the cluster's folder (default: the OS temp folder). */
  baseDir?: string
}

export const DEFAULT_SASL_USERS: readonly SaslUser[] = [
  { username: 'alice', password: 'alice-secret' },
  { username: 'admin', password: 'admin-secret' },
]

/** Real Apache Kafka (KRaft, no ZooKeeper) started from its jars, one process per node. */
export async function startJarCluster(options: JarClusterOptions = {}): Promise<KafkaTestCluster> {
  const nodeCount = options.nodes ?? 1
  const security = options.security ?? nodeCount === 1
  const saslUsers = options.saslUsers ?? [...DEFAULT_SASL_USERS]
  const [libs, tls] = await Promise.all([kafkaJarsDir(), security ? tlsMaterial() : undefined])
  const baseDir = options.baseDir ?? join(tmpdir(), 'kafkit-kafka')
  await mkdir(baseDir, { recursive: true })
  const dir = await mkdtemp(join(baseDir, `${nodeCount}-node-`))

  const portsPerNode = security ? 5 : 2
  const ports = await freePorts(nodeCount * portsPerNode)
  const layout = Array.from({ length: nodeCount }, (_, i): { nodeId: number; ports: NodePorts } => {
    const [plaintext, controller, ssl, saslPlaintext, saslSsl] = ports.slice(i * portsPerNode, (i + 1) * portsPerNode)
    return {
      nodeId: i + 1,
      ports: security
        ? { plaintext: plaintext!, controller: controller!, ssl, saslPlaintext, saslSsl }
        : { plaintext: plaintext!, controller: controller! },
    }
  })
  const voters = layout.map(({ nodeId, ports }) => ({ nodeId, controllerPort: ports.controller }))
  const clusterId = randomUuid()
  const nodes = await Promise.all(
    layout.map(async ({ nodeId, ports }) => {
      const nodeDir = join(dir, `node-${nodeId}`)
      await mkdir(nodeDir, { recursive: true })
      const properties = nodeProperties({
        nodeId,
        dataDir: join(nodeDir, 'data'),
        ports,
        voters,
        replicationFactor: Math.min(3, nodeCount),
        minInsyncReplicas: nodeCount >= 3 ? 2 : 1,
        tls,
        saslUsers,
        overrides: options.brokerConfig,
      })
      await writeFile(join(nodeDir, 'server.properties'), properties)
      await writeFile(join(nodeDir, 'log4j2.properties'), LOG4J2_PROPERTIES)
      await formatStorage(libs, nodeDir, clusterId, nodeCount === 1, security ? saslUsers : [])
      return new JarKafkaNode(nodeId, nodeDir, libs)
    }),
  )
  try {
    // A multi-node quorum only elects a controller once its voters are up, so start them together.
    await Promise.all(nodes.map((node) => node.start()))
  } catch (error) {
    await Promise.all(nodes.map((node) => node.kill()))
    throw error
  }
  return new JarCluster(dir, nodes, listenerEndpoints(layout, tls, saslUsers))
}

async function formatStorage(
  libs: string,
  nodeDir: string,
  clusterId: string,
  standalone: boolean,
  scramUsers: SaslUser[],
): Promise<void> {
  await runChecked(
    'java',
    [
      `-Dlog4j2.configurationFile=${join(nodeDir, 'log4j2.properties')}`,
      '-cp',
      `${libs}/*`,
      'kafka.tools.StorageTool',
      'format',
      `--cluster-id=${clusterId}`,
      '-c',
      join(nodeDir, 'server.properties'),
      ...(standalone ? ['--standalone'] : []),
      ...scramFormatArguments(scramUsers),
    ],
    { timeoutMs: 120_000 },
  )
}

function listenerEndpoints(
  layout: { ports: NodePorts }[],
  tls: TlsMaterial | undefined,
  users: SaslUser[],
): Partial<Record<SecurityProtocol, ListenerEndpoint>> {
  const servers = (pick: (ports: NodePorts) => number | undefined) =>
    layout.flatMap(({ ports }) => (pick(ports) === undefined ? [] : [`127.0.0.1:${pick(ports)}`]))
  const tlsInfo = tls ? { caPem: tls.caPem, caPath: tls.caPemPath } : undefined
  const sasl = { mechanisms: SASL_MECHANISMS, users }
  const endpoints: Partial<Record<SecurityProtocol, ListenerEndpoint>> = {
    PLAINTEXT: { securityProtocol: 'PLAINTEXT', bootstrapServers: servers((p) => p.plaintext) },
  }
  if (tlsInfo) {
    endpoints.SSL = { securityProtocol: 'SSL', bootstrapServers: servers((p) => p.ssl), tls: tlsInfo }
    endpoints.SASL_PLAINTEXT = {
      securityProtocol: 'SASL_PLAINTEXT',
      bootstrapServers: servers((p) => p.saslPlaintext),
      sasl,
    }
    endpoints.SASL_SSL = {
      securityProtocol: 'SASL_SSL',
      bootstrapServers: servers((p) => p.saslSsl),
      tls: tlsInfo,
      sasl,
    }
  }
  return endpoints
}

class JarCluster implements KafkaTestCluster {
  readonly target = 'jar'
  readonly bootstrapServers: string[]
  readonly nodes: NodeControl

  constructor(
    readonly dir: string,
    private readonly processes: JarKafkaNode[],
    readonly listeners: Partial<Record<SecurityProtocol, ListenerEndpoint>>,
  ) {
    this.bootstrapServers = listeners.PLAINTEXT?.bootstrapServers ?? []
    const node = (nodeId: number) => {
      const found = processes.find((p) => p.nodeId === nodeId)
      if (!found) throw new Error(`no node ${nodeId}: nodes are ${processes.map((p) => p.nodeId).join(', ')}`)
      return found
    }
    this.nodes = {
      nodeIds: processes.map((p) => p.nodeId),
      kill: (nodeId) => node(nodeId).kill(),
      stop: (nodeId) => node(nodeId).stop(),
      start: (nodeId) => node(nodeId).start(),
      isRunning: (nodeId) => node(nodeId).running,
    }
  }

  async stop(options: StopOptions = {}): Promise<void> {
    await Promise.all(this.processes.map((p) => p.stop()))
    if (!options.keepFiles) await rm(this.dir, { recursive: true, force: true })
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop()
  }
}
