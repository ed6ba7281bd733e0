import type { Socket } from 'node:net'
import {
  type ApiDefinition,
  type ApiMessages,
  type ApiName,
  Apis,
  decodeResponseFrame,
  encodeRequestFrame,
  FrameReader,
  KafkaError,
  ProtocolError,
  readResponseCorrelationId,
} from '@kafkit/protocol'
import type { BrokerApiVersions } from './api-versions.js'
import { AbortedError, BrokerError, ConnectionError, RequestTimeoutError } from './errors.js'
import type { Instrumentation } from './instrumentation.js'
import { childLogger, type Logger } from './logger.js'
import { negotiateApiVersions } from './negotiate.js'
import type { NetworkOptions, TlsOptions } from './options.js'
import { authenticateSasl, type SaslSession } from './sasl/authenticate.js'
import { openSocket } from './socket.js'

export interface ConnectionConfig extends NetworkOptions {
  host: string
  port: number
  instrumentation: Instrumentation
  /** Software name and version sent in ApiVersions (KIP-511). */
  softwareName: string
  softwareVersion: string
}

export interface RequestOptions {
  /** A version to use instead of the highest both sides support. */
  version?: number
  /** The highest version to use, when a feature caps it (a transactional Produce stays at v11 under transaction version 1). */
  maxVersion?: number
  /** Overrides the connection's requestTimeoutMs for this request. */
  timeoutMs?: number
  /** Expected size of the encoded request in bytes: a good guess spares regrowing (and copying) a large Produce. */
  sizeHint?: number
  signal?: AbortSignal
}

/** A request body, or a function building it for the version negotiated with the broker. */
export type RequestBody<N extends ApiName> =
  | ApiMessages[N]['request']
  | ((version: number) => ApiMessages[N]['request'])

type ConnectionState = 'new' | 'connecting' | 'ready' | 'closing' | 'closed'

interface Pending {
  api: ApiDefinition
  version: number
  body: unknown
  expectResponse: boolean
  timeoutMs: number
  signal: AbortSignal | undefined
  sizeHint?: number | undefined
  resolve(value: unknown): void
  reject(error: Error): void
  correlationId?: number
  sentAt?: number
  timer?: NodeJS.Timeout
  /** The caller gave up (abort); the response is still read, then dropped. */
  abandoned?: boolean
  onAbort?: () => void
}

const MAX_CORRELATION_ID = 0x7fffffff

/**
 * One connection to one broker: TCP or TLS, ApiVersions negotiated on connect,
 * then SASL if configured, then requests pipelined up to maxInFlightRequests
 * and matched to responses by correlation id. A connection is used once: after
 * it closes (by error, timeout, idleness or close()), every request on it has
 * failed with a typed error, and the owner opens a new one.
 */
export class BrokerConnection {
  readonly broker: string
  private state: ConnectionState = 'new'
  private socket: Socket | undefined
  private readonly reader: FrameReader
  private readonly inFlight = new Map<number, Pending>()
  private readonly queue: Pending[] = []
  private nextCorrelationId = 0
  private connecting: Promise<void> | undefined
  private closing: Promise<void> | undefined
  private versions: BrokerApiVersions | undefined
  private sasl: SaslSession | undefined
  private idleTimer: NodeJS.Timeout | undefined
  /** While true (SASL re-authentication), queued requests wait. */
  private paused = false
  private drained: (() => void) | undefined
  private readonly log: Logger

  constructor(private readonly config: ConnectionConfig) {
    this.broker = `${config.host}:${config.port}`
    this.reader = new FrameReader(config.maxResponseBytes)
    this.log = childLogger(config.logger, { broker: this.broker })
  }

  get isReady(): boolean {
    return this.state === 'ready'
  }

  get isClosed(): boolean {
    return this.state === 'closing' || this.state === 'closed'
  }

  /** The versions the broker advertised; available once connected. */
  get apiVersions(): BrokerApiVersions {
    if (!this.versions) throw new ConnectionError('not connected yet', { broker: this.broker })
    return this.versions
  }

  /** Opens the socket, negotiates versions and authenticates; concurrent calls share one attempt. */
  connect(signal?: AbortSignal): Promise<void> {
    if (this.state === 'ready') return Promise.resolve()
    if (this.isClosed) return Promise.reject(new ConnectionError('connection is closed', { broker: this.broker }))
    this.connecting ??= this.open(signal)
    return this.connecting
  }

  /**
   * Sends a request with the highest version both sides support and resolves
   * with its response. `body` may be a function of the chosen version, for
   * requests whose fields differ between versions.
   */
  async request<N extends ApiName>(
    apiName: N,
    body: RequestBody<N>,
    options: RequestOptions = {},
  ): Promise<ApiMessages[N]['response']> {
    const api = Apis[apiName] as unknown as ApiDefinition
    return (await this.enqueue(api, body, true, options)) as ApiMessages[N]['response']
  }

  /** Sends a request that gets no response (Produce with acks=0); resolves once it is written. */
  async send<N extends ApiName>(apiName: N, body: RequestBody<N>, options: RequestOptions = {}): Promise<void> {
    const api = Apis[apiName] as unknown as ApiDefinition
    await this.enqueue(api, body, false, options)
  }

  private async enqueue(
    api: ApiDefinition,
    body: unknown,
    expectResponse: boolean,
    options: RequestOptions,
  ): Promise<unknown> {
    if (options.signal?.aborted) throw new AbortedError(options.signal.reason)
    await this.connect(options.signal)
    // close() (or a failure) may have run while connect() resolved: nothing would send a request queued now.
    if (this.isClosed) throw new ConnectionError('connection is closed', { broker: this.broker, api: api.name })
    const version =
      options.version ??
      this.apiVersions.versionFor(api, options.maxVersion === undefined ? undefined : { max: options.maxVersion })
    return new Promise((resolve, reject) => {
      const pending: Pending = {
        api,
        version,
        body: typeof body === 'function' ? (body as (version: number) => unknown)(version) : body,
        expectResponse,
        timeoutMs: options.timeoutMs ?? this.config.requestTimeoutMs,
        signal: options.signal,
        sizeHint: options.sizeHint,
        resolve,
        reject,
      }
      if (options.signal) {
        pending.onAbort = () => this.abort(pending)
        options.signal.addEventListener('abort', pending.onAbort, { once: true })
      }
      this.queue.push(pending)
      this.pump()
    })
  }

  /** Moves queued requests onto the wire while there is room in flight. */
  private pump(): void {
    while (
      this.state === 'ready' &&
      !this.paused &&
      this.queue.length > 0 &&
      this.inFlight.size < this.config.maxInFlightRequests
    ) {
      this.dispatch(this.queue.shift()!)
    }
  }

  /** Writes one request now (also used for ApiVersions and SASL before the connection is ready). */
  private dispatch(pending: Pending): void {
    const socket = this.socket
    if (!socket) {
      this.settle(pending, new ConnectionError('connection is closed', { broker: this.broker, api: pending.api.name }))
      return
    }
    const correlationId = this.nextCorrelationId
    this.nextCorrelationId = correlationId === MAX_CORRELATION_ID ? 0 : correlationId + 1
    let frame: Buffer
    try {
      frame = encodeRequestFrame(pending.api, pending.version, pending.body, {
        correlationId,
        clientId: this.config.clientId,
        ...(pending.sizeHint === undefined ? {} : { sizeHint: pending.sizeHint }),
      })
    } catch (error) {
      this.settle(pending, error as Error)
      return
    }
    pending.correlationId = correlationId
    pending.sentAt = performance.now()
    this.touch()
    this.config.instrumentation.emit('request', {
      broker: this.broker,
      api: pending.api.name,
      version: pending.version,
      correlationId,
      bytes: frame.length,
    })
    if (!pending.expectResponse) {
      socket.write(frame, (error) => {
        if (error) this.settle(pending, new ConnectionError(`write failed: ${error.message}`, { broker: this.broker }))
        else this.settle(pending, undefined, undefined)
      })
      return
    }
    this.inFlight.set(correlationId, pending)
    pending.timer = setTimeout(() => this.timeOut(pending), pending.timeoutMs)
    socket.write(frame)
  }

  private async open(signal?: AbortSignal): Promise<void> {
    this.state = 'connecting'
    const started = performance.now()
    const tls = tlsOptionsOf(this.config.ssl)
    try {
      // Plain TCP reads straight into the frame reader's buffers (a large response lands in place);
      // TLS sockets cannot, and deliver 'data' chunks instead.
      const onread = tls
        ? undefined
        : {
            buffer: () => this.reader.readTarget(),
            callback: (bytes: number, target: Uint8Array) => {
              if (bytes > 0) this.onData(Buffer.from(target.buffer, target.byteOffset, bytes))
              return true
            },
          }
      const socket = await openSocket(
        this.config.host,
        this.config.port,
        tls,
        this.config.connectTimeoutMs,
        signal,
        onread,
      )
      if (this.isClosed) {
        socket.destroy()
        throw new ConnectionError('connection closed while connecting', { broker: this.broker })
      }
      this.socket = socket
      if (!onread) socket.on('data', (chunk: Buffer) => this.onData(chunk))
      socket.on('error', (error) =>
        this.fail(new ConnectionError(`socket error: ${error.message}`, { broker: this.broker, cause: error })),
      )
      socket.on('close', () =>
        this.fail(new ConnectionError('connection closed by the broker', { broker: this.broker })),
      )
      this.versions = await negotiateApiVersions(this.broker, this.config, (api, version, body) =>
        this.exchange(api, version, body),
      )
      if (this.config.sasl) {
        this.sasl = await authenticateSasl(this.config.sasl, this.versions, this.broker, (api, version, body) =>
          this.exchange(api, version, body),
        )
        this.scheduleReauthentication()
      }
    } catch (error) {
      const failure =
        error instanceof KafkaError ? error : new ConnectionError(String(error), { broker: this.broker, cause: error })
      this.fail(failure)
      throw failure
    }
    this.state = 'ready'
    this.connecting = undefined
    this.touch()
    this.log.debug('connected', { durationMs: performance.now() - started })
    this.config.instrumentation.emit('connect', {
      broker: this.broker,
      durationMs: performance.now() - started,
      tls: tls !== undefined,
      saslMechanism: this.sasl?.mechanism,
    })
    this.pump()
  }

  /** One request/response outside the queue: version negotiation and SASL. */
  private exchange(api: ApiDefinition, version: number, body: unknown): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.dispatch({
        api,
        version,
        body,
        expectResponse: true,
        timeoutMs: this.config.requestTimeoutMs,
        signal: undefined,
        resolve,
        reject,
      })
    })
  }

  private onData(chunk: Buffer): void {
    let frames: Buffer[]
    try {
      frames = this.reader.push(chunk)
    } catch (error) {
      // The broken frame was the answer to the oldest request: it gets the ProtocolError, the rest a ConnectionError.
      const oldest = this.inFlight.values().next()
      if (!oldest.done) {
        this.inFlight.delete(oldest.value.correlationId!)
        this.settle(oldest.value, error as ProtocolError)
      }
      this.fail(error as ProtocolError)
      return
    }
    for (const frame of frames) {
      if (this.state === 'closed') return
      this.onFrame(frame)
    }
  }

  private onFrame(frame: Buffer): void {
    this.touch()
    let correlationId: number
    try {
      correlationId = readResponseCorrelationId(frame)
    } catch (error) {
      this.fail(error as ProtocolError)
      return
    }
    // Kafka answers in request order, so a response must be for the oldest request in flight.
    const oldest = this.inFlight.keys().next()
    if (oldest.done || oldest.value !== correlationId) {
      this.fail(
        new ProtocolError(`response with correlation id ${correlationId} does not match the oldest request in flight`),
      )
      return
    }
    const pending = this.inFlight.get(correlationId)!
    this.inFlight.delete(correlationId)
    let body: unknown
    try {
      body = decodeResponse(pending, frame)
    } catch (error) {
      // Bad bytes from the network: this response and the connection are lost.
      this.settle(pending, error as Error)
      this.fail(error as Error)
      return
    }
    const latencyMs = performance.now() - (pending.sentAt ?? 0)
    this.config.instrumentation.emit('response', {
      broker: this.broker,
      api: pending.api.name,
      version: pending.version,
      correlationId,
      bytes: frame.length + 4,
      latencyMs,
    })
    const throttleTimeMs = (body as { throttleTimeMs?: unknown }).throttleTimeMs
    if (typeof throttleTimeMs === 'number' && throttleTimeMs > 0) {
      this.config.instrumentation.emit('throttle', { broker: this.broker, api: pending.api.name, throttleTimeMs })
    }
    this.settle(pending, undefined, body)
    if (this.inFlight.size === 0) this.drained?.()
    this.pump()
  }

  /** Resolves or rejects a request exactly once and releases its timer and abort listener. */
  private settle(pending: Pending, error: Error | undefined, value?: unknown): void {
    if (pending.timer) clearTimeout(pending.timer)
    pending.timer = undefined
    if (pending.onAbort) pending.signal?.removeEventListener('abort', pending.onAbort)
    if (pending.abandoned) return
    pending.abandoned = true
    if (error) {
      this.config.instrumentation.emit('requestError', {
        broker: this.broker,
        api: pending.api.name,
        error,
        latencyMs: pending.sentAt === undefined ? 0 : performance.now() - pending.sentAt,
      })
      pending.reject(error)
    } else pending.resolve(value)
  }

  private abort(pending: Pending): void {
    const index = this.queue.indexOf(pending)
    if (index >= 0) this.queue.splice(index, 1)
    // In flight: the response still arrives and is dropped, keeping the stream in step.
    this.settle(pending, new AbortedError(pending.signal?.reason))
  }

  /** Java closes the connection when a request times out: its response may never come, or come late. */
  private timeOut(pending: Pending): void {
    const error = new RequestTimeoutError(`no response within ${pending.timeoutMs} ms`, {
      broker: this.broker,
      api: pending.api.name,
    })
    this.settle(pending, error)
    this.fail(new ConnectionError('connection closed after a request timed out', { broker: this.broker, cause: error }))
  }

  /** Closes the connection at once and fails everything queued or in flight with `error`. */
  private fail(error: Error): void {
    if (this.state === 'closed') return
    const wasReady = this.state === 'ready'
    this.state = 'closed'
    const inFlight = [...this.inFlight.values()]
    this.inFlight.clear()
    const queued = this.queue.splice(0)
    clearTimeout(this.idleTimer)
    clearTimeout(this.sasl?.reauthenticationTimer)
    this.socket?.destroy()
    this.socket = undefined
    for (const pending of [...inFlight, ...queued]) {
      // Bad bytes doom the request they answered; every other request only lost its connection and may be retried.
      const reason = error instanceof BrokerError ? error.reason : error.message
      const failure =
        error instanceof KafkaError && !(error instanceof ConnectionError) && !(error instanceof ProtocolError)
          ? error
          : new ConnectionError(reason, { broker: this.broker, api: pending.api.name, cause: error })
      this.settle(pending, failure)
    }
    this.drained?.()
    if (wasReady || inFlight.length > 0)
      this.log.debug('disconnected', { reason: error.message, inFlight: inFlight.length })
    this.config.instrumentation.emit('disconnect', {
      broker: this.broker,
      reason: error.message,
      inFlight: inFlight.length,
    })
  }

  private touch(): void {
    clearTimeout(this.idleTimer)
    this.idleTimer = setTimeout(() => {
      if (this.inFlight.size === 0 && this.queue.length === 0) {
        void this.close(0)
      } else this.touch()
    }, this.config.connectionsMaxIdleMs)
    this.idleTimer.unref()
  }

  /** KIP-368: authenticate again before the session the broker granted runs out. */
  private scheduleReauthentication(): void {
    const session = this.sasl
    if (!session || session.lifetimeMs <= 0) return
    // Like Java, pick a point between 85% and 95% of the lifetime so connections do not re-authenticate in lockstep.
    const delay = session.lifetimeMs * (0.85 + Math.random() * 0.1)
    session.reauthenticationTimer = setTimeout(() => void this.reauthenticate(), delay)
    session.reauthenticationTimer.unref()
  }

  private async reauthenticate(): Promise<void> {
    if (this.state !== 'ready' || !this.config.sasl || !this.versions) return
    this.paused = true
    try {
      if (this.inFlight.size > 0) await new Promise<void>((resolve) => (this.drained = resolve))
      this.drained = undefined
      if (this.state !== 'ready') return
      this.sasl = await authenticateSasl(this.config.sasl, this.versions, this.broker, (api, version, body) =>
        this.exchange(api, version, body),
      )
      this.log.debug('re-authenticated', { mechanism: this.sasl.mechanism })
      this.scheduleReauthentication()
    } catch (error) {
      this.fail(error as Error)
      return
    } finally {
      this.paused = false
    }
    this.pump()
  }

  /**
   * Stops taking requests, waits up to `timeoutMs` for those in flight, then
   * closes the socket; requests still unanswered fail. Idempotent.
   */
  close(timeoutMs = this.config.requestTimeoutMs): Promise<void> {
    if (this.state === 'closed') return Promise.resolve()
    this.closing ??= (async () => {
      const queued = this.queue.splice(0)
      for (const pending of queued)
        this.settle(pending, new ConnectionError('connection closed', { broker: this.broker, api: pending.api.name }))
      if (this.state === 'ready' && this.inFlight.size > 0 && timeoutMs > 0) {
        this.state = 'closing'
        let timer: NodeJS.Timeout | undefined
        await Promise.race([
          new Promise<void>((resolve) => (this.drained = resolve)),
          new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs))),
        ])
        clearTimeout(timer)
      }
      this.fail(new ConnectionError('connection closed', { broker: this.broker }))
    })()
    return this.closing
  }
}

const UNSUPPORTED_VERSION = 35

/**
 * A broker that does not know the requested ApiVersions version answers in v0
 * with UNSUPPORTED_VERSION (its error code comes first in every version, right
 * after the v0 response header), so that answer is read as v0.
 */
function decodeResponse(pending: Pending, frame: Buffer): unknown {
  const isApiVersions = pending.api.apiKey === Apis.ApiVersions.apiKey
  if (isApiVersions && pending.version > 0 && frame.length >= 6 && frame.readInt16BE(4) === UNSUPPORTED_VERSION) {
    return decodeResponseFrame(pending.api, 0, frame).body
  }
  return decodeResponseFrame(pending.api, pending.version, frame).body
}

function tlsOptionsOf(ssl: NetworkOptions['ssl']): TlsOptions | undefined {
  if (ssl === undefined || ssl === false) return undefined
  return ssl === true ? {} : ssl
}
