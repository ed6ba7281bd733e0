/**
 * A scripted, single-node fake Kafka broker on 127.0.0.1 for fault tests of the
 * network core. It speaks the real wire protocol through @kafkit/protocol: it
 * cuts frames, decodes request headers and bodies, and answers through a
 * handler table, with defaults for what a client needs to connect (see
 * fake-broker-defaults.ts). Tests script any API with `onRequest` to answer
 * differently or to misbehave on the wire (see fake-connection.ts), and stop
 * and restart the broker on the same port.
 */
import { createServer, type Server, type Socket } from 'node:net'
import {
  type ApiDefinition,
  type ApiMessages,
  type ApiName,
  Apis,
  decodeRequestBody,
  decodeRequestFrameHeader,
  randomUuid,
} from '@kafkit/protocol'
import {
  defaultAnswer,
  type FakeBrokerState,
  protocolVersionRanges,
  type VersionRange,
} from './fake-broker-defaults.js'
import { FakeConnection, type ReceivedRequest, type Reply } from './fake-connection.js'

export type { FakeAction, ReceivedRequest, Reply } from './fake-connection.js'

export interface FakeBrokerOptions {
  /** Port to listen on; 0 (the default) picks a free one. */
  port?: number
  nodeId?: number
  clusterId?: string
  /** Partition count by topic name; every partition is led by this broker. */
  topics?: Record<string, number>
  /** Ranges to advertise in ApiVersions instead of what @kafkit/protocol supports, by API name. */
  apiVersions?: Partial<Record<ApiName, VersionRange>>
}

export type FakeHandler<N extends ApiName> = (request: ReceivedRequest<N>) => Reply<N> | Promise<Reply<N>>

interface Registration {
  handler: FakeHandler<ApiName>
  once: boolean
}

export class FakeBroker {
  /** Every request received, in order of arrival. */
  readonly requests: ReceivedRequest[] = []
  /** Errors the fake met handling requests (a handler that threw, a frame it could not decode). */
  readonly errors: Error[] = []
  private readonly state: FakeBrokerState
  private readonly handlers = new Map<ApiName, Registration[]>()
  private readonly live = new Set<FakeConnection>()
  private server: Server | undefined
  private accepted = 0

  private constructor(options: FakeBrokerOptions) {
    const versions = protocolVersionRanges()
    for (const [name, range] of Object.entries(options.apiVersions ?? {})) {
      if (range) versions.set(Apis[name as ApiName].apiKey, range)
    }
    this.state = {
      nodeId: options.nodeId ?? 0,
      host: '127.0.0.1',
      port: options.port ?? 0,
      clusterId: options.clusterId ?? 'fake-cluster',
      topics: new Map(
        Object.entries(options.topics ?? {}).map(([name, partitions]) => [name, { topicId: randomUuid(), partitions }]),
      ),
      versions,
    }
  }

  /** Starts a fake broker listening on 127.0.0.1. */
  static async start(options: FakeBrokerOptions = {}): Promise<FakeBroker> {
    const broker = new FakeBroker(options)
    await broker.listen()
    return broker
  }

  get host(): string {
    return this.state.host
  }

  get port(): number {
    return this.state.port
  }

  /** "127.0.0.1:port", for a client's `brokers`. */
  get address(): string {
    return `${this.host}:${this.port}`
  }

  get nodeId(): number {
    return this.state.nodeId
  }

  /** Connections accepted since the fake started (across restarts). */
  get connections(): number {
    return this.accepted
  }

  /** Connections open right now. */
  get openConnections(): number {
    return this.live.size
  }

  /** The requests received for one API. */
  received<N extends ApiName>(api: N): ReceivedRequest<N>[] {
    return this.requests.filter((r): r is ReceivedRequest<N> => r.api === api)
  }

  /**
   * Scripts the answer to an API. The newest handler is asked first; one that
   * returns undefined passes the request on to the older ones, then to the
   * default. Returns a function that removes the handler.
   */
  onRequest<N extends ApiName>(api: N, handler: FakeHandler<N>, options: { once?: boolean } = {}): () => void {
    const registration: Registration = {
      handler: handler as unknown as FakeHandler<ApiName>,
      once: options.once ?? false,
    }
    const list = this.handlers.get(api) ?? []
    list.unshift(registration)
    this.handlers.set(api, list)
    return () => {
      const index = list.indexOf(registration)
      if (index >= 0) list.splice(index, 1)
    }
  }

  /** Stops listening and drops every connection, like a broker process going away. */
  async stop(): Promise<void> {
    const server = this.server
    this.server = undefined
    for (const connection of this.live) connection.destroy()
    if (server?.listening) await new Promise<void>((resolve) => server.close(() => resolve()))
  }

  /** Listens again on the same port, like the broker process coming back. */
  async restart(): Promise<void> {
    if (this.server) throw new Error('the fake broker is already running')
    await this.listen()
  }

  /** Stops the fake for good; no socket, server or timer of it remains. */
  async close(): Promise<void> {
    this.handlers.clear()
    await this.stop()
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close()
  }

  private listen(): Promise<void> {
    const server = createServer((socket) => this.accept(socket))
    this.server = server
    return new Promise((resolve, reject) => {
      server.once('error', reject)
      server.listen({ host: this.state.host, port: this.state.port }, () => {
        server.off('error', reject)
        const address = server.address()
        if (address && typeof address === 'object') this.state.port = address.port
        resolve()
      })
    })
  }

  private accept(socket: Socket): void {
    const connection = new FakeConnection(++this.accepted, socket)
    this.live.add(connection)
    socket.setNoDelay(true)
    socket.on('data', (chunk: Buffer) => this.onData(connection, chunk))
    // A client resetting the connection is part of the scenarios, not a failure of the fake.
    socket.on('error', () => {})
    socket.on('close', () => {
      this.live.delete(connection)
      connection.destroy()
    })
  }

  private onData(connection: FakeConnection, chunk: Buffer): void {
    let frames: Buffer[]
    try {
      frames = connection.frames(chunk)
    } catch (error) {
      this.fault(connection, error)
      return
    }
    for (const frame of frames) this.onFrame(connection, frame)
  }

  private onFrame(connection: FakeConnection, frame: Buffer): void {
    let request: ReceivedRequest
    try {
      const decoded = decodeRequestFrameHeader(frame)
      const body = decodeRequestBody(decoded)
      request = {
        api: decoded.api!.name as ApiName,
        version: decoded.header.requestApiVersion,
        correlationId: decoded.header.correlationId,
        clientId: decoded.header.clientId,
        body: body as ApiMessages[ApiName]['request'],
        connectionId: connection.id,
        outstanding: connection.arrived(),
      }
    } catch (error) {
      this.fault(connection, error)
      return
    }
    this.requests.push(request)
    connection.enqueue(
      () => this.handle(connection, request),
      (error) => this.fault(connection, error),
    )
  }

  /** Asks the handlers, newest first, then the defaults; a request nobody serves closes the connection, as in Kafka. */
  private async handle(connection: FakeConnection, request: ReceivedRequest): Promise<void> {
    const list = this.handlers.get(request.api) ?? []
    let reply: Reply
    for (const registration of [...list]) {
      reply = await registration.handler(request)
      if (reply === undefined) continue
      if (registration.once && list.includes(registration)) list.splice(list.indexOf(registration), 1)
      break
    }
    const defaults = (r: ReceivedRequest) => defaultAnswer(this.state, r.api, r.version, r.body) as Reply
    reply ??= defaults(request)
    if (reply === undefined) throw new Error(`the fake broker does not serve ${request.api}`)
    await connection.answer(Apis[request.api] as unknown as ApiDefinition, request, reply, defaults)
  }

  private fault(connection: FakeConnection, error: unknown): void {
    this.errors.push(error instanceof Error ? error : new Error(String(error)))
    connection.destroy()
  }
}
