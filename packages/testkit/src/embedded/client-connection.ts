import type { Socket } from 'node:net'
import {
  type ApiDefinition,
  type ApiName,
  Apis,
  decodeRequestBody,
  decodeRequestFrameHeader,
  encodeResponseFrame,
  FrameReader,
  type RequestHeader,
} from '@kafkit/protocol'
import type { EmbeddedBroker, ListenerName } from './embedded-broker.js'
import type { RequestContext } from './handler.js'
import type { SaslServer } from './sasl/sasl-server.js'
import { handleAuthorized } from './security/guards.js'

/** Largest request frame accepted (Kafka's socket.request.max.bytes default). */
const MAX_REQUEST_BYTES = 100 * 1024 * 1024
const UNSUPPORTED_VERSION = 35

/** SASL progress of one connection (KIP-368 re-authentication included). */
export interface SaslSession {
  readonly required: boolean
  server: SaslServer | undefined
  mechanism: string | undefined
  principal: string
  authenticated: boolean
  /** performance.now() after which the session has expired (re-authentication due), or Infinity. */
  expiresAt: number
  /** Set when authentication failed: the refusal is sent, then the connection closes. */
  closeAfterResponse: boolean
}

/**
 * One client connection to an embedded broker. Requests are handled one at a
 * time, in order, as a Kafka broker does (it mutes a connection while a request
 * is processed); bytes that break the protocol close this connection only.
 */
export class ClientConnection {
  private readonly reader = new FrameReader(MAX_REQUEST_BYTES)
  private readonly queue: Buffer[] = []
  private processing = false
  private readonly closed = new AbortController()
  readonly session: SaslSession

  constructor(
    private readonly socket: Socket,
    private readonly broker: EmbeddedBroker,
    readonly listener: ListenerName,
  ) {
    this.session = {
      required: listener === 'SASL_PLAINTEXT' || listener === 'SASL_SSL',
      server: undefined,
      mechanism: undefined,
      principal: 'User:ANONYMOUS',
      authenticated: false,
      expiresAt: Number.POSITIVE_INFINITY,
      closeAfterResponse: false,
    }
    socket.on('data', (chunk: Buffer) => this.onData(chunk))
    socket.on('error', () => this.close())
    socket.on('close', () => this.close())
    socket.on('end', () => this.close(true))
  }

  get signal(): AbortSignal {
    return this.closed.signal
  }

  /** Closes the connection; `graceful` lets the bytes already written reach the client first. */
  close(graceful = false): void {
    if (this.closed.signal.aborted) return
    this.closed.abort()
    if (graceful) this.socket.end()
    else this.socket.destroy()
    this.broker.connectionClosed(this)
  }

  private onData(chunk: Buffer): void {
    try {
      this.queue.push(...this.reader.push(chunk))
    } catch (error) {
      this.broker.log('closing a connection that sent an invalid frame', error)
      this.close()
      return
    }
    void this.drain()
  }

  private async drain(): Promise<void> {
    if (this.processing) return
    this.processing = true
    try {
      while (this.queue.length > 0 && !this.closed.signal.aborted) await this.handleFrame(this.queue.shift()!)
    } catch (error) {
      // A malformed request, or a handler bug: Kafka closes the connection, and so do we.
      this.broker.log('closing a connection after a request failed', error)
      this.close()
    } finally {
      this.processing = false
    }
  }

  private async handleFrame(frame: Buffer): Promise<void> {
    const decoded = decodeRequestFrameHeader(frame)
    const { header, api } = decoded
    const handler = api ? this.broker.handlers.get(api.name as ApiName) : undefined
    const version = header.requestApiVersion
    if (!api || !handler || version < handler.minVersion || version > handler.maxVersion) {
      if (header.requestApiKey === Apis.ApiVersions.apiKey) return this.unsupportedApiVersions(header)
      throw new Error(`unsupported request: API key ${header.requestApiKey} version ${version}`)
    }
    const request = decodeRequestBody(decoded)
    this.checkAuthenticated(api.name as ApiName)
    const context: RequestContext = {
      cluster: this.broker.cluster,
      broker: this.broker,
      header,
      version,
      principal: this.session.principal,
      signal: this.closed.signal,
      handlers: this.broker.handlers,
      listener: this.listener,
      session: this.session,
    }
    const outcome = await this.broker.control.run(api.name as ApiName, request, context, () =>
      handleAuthorized(api.name as ApiName, handler, request as never, context),
    )
    if (outcome.kind === 'drop') return this.close()
    if (outcome.kind === 'silence' || outcome.response === null) return
    this.write(api, version, header.correlationId, outcome.response)
    if (this.session.closeAfterResponse) this.close(true)
  }

  /** Before SASL completes only ApiVersions and the SASL requests are allowed; an expired session must re-authenticate. */
  private checkAuthenticated(api: ApiName): void {
    if (!this.session.required) return
    if (api === 'ApiVersions' || api === 'SaslHandshake' || api === 'SaslAuthenticate') return
    if (!this.session.authenticated) throw new Error(`${api} before SASL authentication`)
    if (performance.now() > this.session.expiresAt) throw new Error(`${api} after the SASL session expired`)
  }

  /** ApiVersions in a version this broker lacks: a v0 answer with UNSUPPORTED_VERSION and the supported range. */
  private unsupportedApiVersions(header: RequestHeader): void {
    const handler = this.broker.handlers.get('ApiVersions')!
    const response = Apis.ApiVersions.response.create({
      errorCode: UNSUPPORTED_VERSION,
      apiKeys: [{ apiKey: Apis.ApiVersions.apiKey, minVersion: handler.minVersion, maxVersion: handler.maxVersion }],
    })
    this.write(Apis.ApiVersions as unknown as ApiDefinition, 0, header.correlationId, response)
  }

  write(api: ApiDefinition, version: number, correlationId: number, response: unknown): void {
    if (this.closed.signal.aborted) return
    this.socket.write(encodeResponseFrame(api, version, correlationId, response))
  }
}
