import { createServer as createTcpServer, type Server, type Socket } from 'node:net'
import { createServer as createTlsServer } from 'node:tls'
import type { ApiName } from '@kafkit/protocol'
import { ClientConnection } from './client-connection.js'
import type { Interceptors } from './control/interceptors.js'
import type { Handler } from './handler.js'
import type { SaslUserStore } from './sasl/sasl-server.js'
import type { BrokerState, ClusterState, ListenerName } from './state/cluster-state.js'

export type { ListenerName }

export interface BrokerTls {
  cert: string
  key: string
  ca: string
}

export interface EmbeddedBrokerOptions {
  listeners: ListenerName[]
  /** Ports to listen on; unset ones are chosen by the OS (then kept across restarts). */
  ports: Partial<Record<ListenerName, number>>
  tls: BrokerTls | undefined
  users: SaslUserStore
  /** Session lifetime granted to SASL clients (connections.max.reauth.ms); 0 for none. */
  reauthenticationMs: number
  onError: (message: string, error: unknown) => void
}

/**
 * One broker of an embedded cluster: a listener per security protocol on
 * 127.0.0.1, each connection served by a ClientConnection. Stopping it closes
 * its listeners and connections (clients then get "connection refused").
 */
export class EmbeddedBroker {
  private readonly servers = new Map<ListenerName, Server>()
  private readonly connections = new Set<ClientConnection>()
  readonly host = '127.0.0.1'

  constructor(
    readonly state: BrokerState,
    readonly cluster: ClusterState,
    readonly handlers: ReadonlyMap<ApiName, Handler>,
    readonly control: Interceptors,
    readonly options: EmbeddedBrokerOptions,
  ) {}

  get nodeId(): number {
    return this.state.nodeId
  }

  get running(): boolean {
    return this.state.running
  }

  async start(): Promise<void> {
    if (this.servers.size > 0) return
    for (const listener of this.options.listeners) {
      const server = this.createServer(listener)
      const port = await new Promise<number>((resolve, reject) => {
        server.once('error', reject)
        server.listen(this.state.ports[listener] ?? this.options.ports[listener] ?? 0, this.host, () => {
          server.off('error', reject)
          const address = server.address()
          resolve(typeof address === 'object' && address ? address.port : 0)
        })
      })
      this.state.ports[listener] = port
      this.servers.set(listener, server)
    }
    this.state.running = true
  }

  private createServer(listener: ListenerName): Server {
    const accept = (socket: Socket) => {
      socket.setNoDelay(true)
      this.connections.add(new ClientConnection(socket, this, listener))
    }
    if (listener === 'SSL' || listener === 'SASL_SSL') {
      const tls = this.options.tls
      if (!tls) throw new Error(`the ${listener} listener needs TLS material`)
      return createTlsServer({ cert: tls.cert, key: tls.key, ca: tls.ca }, accept)
    }
    return createTcpServer(accept)
  }

  /** Closes the listeners and every connection. The ports are kept for a restart. */
  async stop(): Promise<void> {
    this.state.running = false
    const servers = [...this.servers.values()]
    this.servers.clear()
    for (const connection of this.connections) connection.close()
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))))
  }

  connectionClosed(connection: ClientConnection): void {
    this.connections.delete(connection)
  }

  get openConnections(): number {
    return this.connections.size
  }

  log(message: string, error: unknown): void {
    this.options.onError(`broker ${this.nodeId}: ${message}`, error)
  }
}
