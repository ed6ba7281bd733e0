/**
 * One client connection of the fake broker, and how it answers on the wire:
 * a response frame, or a scripted misbehaviour (a frame cut short, corrupt or
 * absurdly large, a socket closed mid-response, silence).
 *
 * Like Kafka, the requests of one connection are handled one at a time, in
 * order, so a request that is never answered holds back every later one.
 */
import type { Socket } from 'node:net'
import {
  type ApiDefinition,
  type ApiMessages,
  type ApiName,
  encodeResponseFrame,
  SIZE_PREFIX_BYTES,
} from '@kafkit/protocol'

/** A request as the fake received it. */
export interface ReceivedRequest<N extends ApiName = ApiName> {
  api: N
  version: number
  correlationId: number
  clientId: string | null
  body: ApiMessages[N]['request']
  /** Which accepted connection (1, 2, …) it came on. */
  connectionId: number
  /** Requests received on that connection and not yet answered, this one included. */
  outstanding: number
}

type Response<N extends ApiName> = ApiMessages[N]['response']

/** Ways to misbehave instead of (or before) answering. */
export type FakeAction<N extends ApiName = ApiName> =
  /** Write the first half of the response frame (the default answer unless `response` is given), then destroy the socket. */
  | { closeMidResponse: true; response?: Partial<Response<N>> }
  /** Send a size prefix promising more bytes than follow, then close the connection. */
  | { truncatedFrame: true }
  /** A frame with the right correlation id whose body does not decode (garbage bytes, or these). */
  | { corruptFrame: true | Buffer }
  /** A 2 GB size prefix and a few bytes, then silence with the socket left open. */
  | { hugeSizePrefix: true }
  /** Never answer this request (nor, as requests are handled in order, any later one on the connection). */
  | { noAnswer: true }
  /** Send nothing for this request and go on with the next (what Kafka does for acks=0). */
  | { noResponse: true }
  /** Wait, then give `reply` (the default answer when omitted). */
  | { delayMs: number; reply?: Reply<N> }
  /** Answer in another version than the request's (a broker that does not speak the requested one). */
  | { inVersion: number; response: Partial<Response<N>> }
  /** Destroy the socket without answering. */
  | { closeConnection: true }

/** A response body (fields not given take their defaults), an action, or undefined for the next handler. */
export type Reply<N extends ApiName = ApiName> = Partial<Response<N>> | FakeAction<N> | undefined

const ACTION_KEYS = [
  'closeMidResponse',
  'truncatedFrame',
  'corruptFrame',
  'hugeSizePrefix',
  'noAnswer',
  'noResponse',
  'delayMs',
  'inVersion',
  'closeConnection',
] as const

export function isAction(reply: object): reply is FakeAction {
  return ACTION_KEYS.some((key) => key in reply)
}

/** The answer to use when a reply leaves it to the fake (a delay, a response cut short). */
export type DefaultReply = (request: ReceivedRequest) => Reply

export class FakeConnection {
  private buffered: Buffer = Buffer.alloc(0)
  private received = 0
  private answered = 0
  private chain: Promise<void> = Promise.resolve()
  /** Set once nothing more may be written: after silence, or after a frame that was cut short. */
  private stalled = false
  private readonly timers = new Set<NodeJS.Timeout>()

  constructor(
    readonly id: number,
    readonly socket: Socket,
  ) {}

  get closed(): boolean {
    return this.socket.destroyed
  }

  /** Adds received bytes and returns the complete request frames (without size prefixes). */
  frames(chunk: Buffer): Buffer[] {
    this.buffered = Buffer.concat([this.buffered, chunk])
    const frames: Buffer[] = []
    while (this.buffered.length >= SIZE_PREFIX_BYTES) {
      const size = this.buffered.readInt32BE(0)
      if (size < 0) throw new Error(`the client sent a negative frame size ${size}`)
      if (this.buffered.length < SIZE_PREFIX_BYTES + size) break
      frames.push(this.buffered.subarray(SIZE_PREFIX_BYTES, SIZE_PREFIX_BYTES + size))
      this.buffered = this.buffered.subarray(SIZE_PREFIX_BYTES + size)
    }
    return frames
  }

  /** Counts a request in; returns how many are now outstanding on this connection. */
  arrived(): number {
    this.received++
    return this.received - this.answered
  }

  /** Queues `work` behind the requests already being handled on this connection. */
  enqueue(work: () => Promise<void>, onError: (error: unknown) => void): void {
    this.chain = this.chain.then(() => (this.stalled || this.closed ? undefined : work())).catch(onError)
  }

  async answer(
    api: ApiDefinition,
    request: ReceivedRequest,
    reply: NonNullable<Reply>,
    defaults: DefaultReply,
  ): Promise<void> {
    if (this.closed || this.stalled) return
    const frameOf = (version: number, body: object = {}) =>
      encodeResponseFrame(api, version, request.correlationId, api.response.create(body))
    if (!isAction(reply)) {
      this.answered++
      this.socket.write(frameOf(request.version, reply))
    } else if ('delayMs' in reply) {
      await this.delay(reply.delayMs)
      const next = reply.reply ?? defaults(request)
      if (next === undefined) throw new Error(`the fake broker does not serve ${request.api}`)
      await this.answer(api, request, next, defaults)
    } else if ('inVersion' in reply) {
      this.answered++
      this.socket.write(frameOf(reply.inVersion, reply.response))
    } else if ('noResponse' in reply) {
      this.answered++
    } else if ('noAnswer' in reply) {
      this.stalled = true
    } else if ('closeConnection' in reply) {
      this.destroy()
    } else if ('closeMidResponse' in reply) {
      const body = reply.response ?? defaults(request)
      const frame = frameOf(request.version, body && !isAction(body) ? body : {})
      // Nothing may follow the partial frame, or the client would read the next frame's bytes as the rest of it.
      this.stalled = true
      // The size prefix and part of the body: the client has started reading this response.
      this.socket.write(frame.subarray(0, Math.max(SIZE_PREFIX_BYTES + 1, frame.length >> 1)), () => this.destroy())
    } else if ('truncatedFrame' in reply) {
      const prefix = Buffer.alloc(8)
      prefix.writeInt32BE(1024, 0)
      prefix.writeInt32BE(request.correlationId, 4)
      this.stalled = true
      this.socket.end(prefix, () => this.destroy())
    } else if ('corruptFrame' in reply) {
      this.answered++
      this.socket.write(corruptFrame(api, request, reply.corruptFrame))
    } else if ('hugeSizePrefix' in reply) {
      const bytes = Buffer.alloc(12)
      bytes.writeInt32BE(0x7fffffff, 0)
      bytes.writeInt32BE(request.correlationId, 4)
      this.stalled = true
      this.socket.write(bytes)
    }
  }

  /** Closes the socket at once and cancels pending delays. */
  destroy(): void {
    for (const timer of this.timers) clearTimeout(timer)
    this.timers.clear()
    this.socket.destroy()
  }

  private delay(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer)
        resolve()
      }, ms)
      this.timers.add(timer)
    })
  }
}

/** The right header (so the client matches it to its request) followed by a body that cannot be decoded. */
function corruptFrame(api: ApiDefinition, request: ReceivedRequest, body: true | Buffer): Buffer {
  // 0xff bytes: an int32 of -1, then a varint longer than 5 bytes or a length that runs past the frame.
  const garbage = body === true ? Buffer.alloc(9, 0xff) : body
  // Header v1 adds an empty tagged-field section: one zero byte, which Buffer.alloc already wrote.
  const header = api.responseHeaderVersion(request.version) >= 1 ? 5 : 4
  const frame = Buffer.alloc(SIZE_PREFIX_BYTES + header + garbage.length)
  frame.writeInt32BE(header + garbage.length, 0)
  frame.writeInt32BE(request.correlationId, 4)
  garbage.copy(frame, SIZE_PREFIX_BYTES + header)
  return frame
}
