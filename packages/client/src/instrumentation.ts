import { channel } from 'node:diagnostics_channel'

/** What the network core reports, as events and on `node:diagnostics_channel`. */
export interface ClientEvents {
  connect: { broker: string; durationMs: number; tls: boolean; saslMechanism: string | undefined }
  disconnect: { broker: string; reason: string; inFlight: number }
  request: { broker: string; api: string; version: number; correlationId: number; bytes: number }
  response: {
    broker: string
    api: string
    version: number
    correlationId: number
    bytes: number
    latencyMs: number
  }
  requestError: { broker: string; api: string; error: Error; latencyMs: number }
  throttle: { broker: string; api: string; throttleTimeMs: number }
}

export type ClientEventName = keyof ClientEvents
export type ClientEventListener<E extends ClientEventName> = (event: ClientEvents[E]) => void

/** The diagnostics_channel name of each event, e.g. `kafkit:request`. */
export const DIAGNOSTICS_CHANNELS: { readonly [E in ClientEventName]: string } = {
  connect: 'kafkit:connect',
  disconnect: 'kafkit:disconnect',
  request: 'kafkit:request',
  response: 'kafkit:response',
  requestError: 'kafkit:request-error',
  throttle: 'kafkit:throttle',
}

const channels = Object.fromEntries(
  Object.entries(DIAGNOSTICS_CHANNELS).map(([event, name]) => [event, channel(name)]),
) as { [E in ClientEventName]: ReturnType<typeof channel> }

/**
 * Delivers events to listeners registered on a client and to diagnostics_channel
 * subscribers. A throwing listener is isolated: instrumentation never breaks I/O.
 */
export class Instrumentation {
  private readonly listeners = new Map<ClientEventName, Set<(event: never) => void>>()

  on<E extends ClientEventName>(event: E, listener: ClientEventListener<E>): () => void {
    let set = this.listeners.get(event)
    if (!set) {
      set = new Set()
      this.listeners.set(event, set)
    }
    set.add(listener as (event: never) => void)
    return () => set.delete(listener as (event: never) => void)
  }

  emit<E extends ClientEventName>(event: E, payload: ClientEvents[E]): void {
    const ch = channels[event]
    if (ch.hasSubscribers) ch.publish(payload)
    const set = this.listeners.get(event)
    if (!set) return
    for (const listener of set) {
      try {
        ;(listener as ClientEventListener<E>)(payload)
      } catch {
        // A listener's bug must not fail the request that reported the event.
      }
    }
  }
}
