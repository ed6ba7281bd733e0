import type { Instrumentation } from './instrumentation.js'

export interface ApiMetrics {
  requests: number
  errors: number
  bytesOut: number
  bytesIn: number
  /** Sum of response latencies, to derive a mean. */
  totalLatencyMs: number
  maxLatencyMs: number
  throttleTimeMs: number
}

/** Counters by broker, then by API. */
export type MetricsSnapshot = Record<string, Record<string, ApiMetrics>>

/** Aggregates the client's events into counters that `snapshot()` copies out. */
export class ClientMetrics {
  private readonly byBroker = new Map<string, Map<string, ApiMetrics>>()

  constructor(instrumentation: Instrumentation) {
    instrumentation.on('request', ({ broker, api, bytes }) => {
      const m = this.entry(broker, api)
      m.requests++
      m.bytesOut += bytes
    })
    instrumentation.on('response', ({ broker, api, bytes, latencyMs }) => {
      const m = this.entry(broker, api)
      m.bytesIn += bytes
      m.totalLatencyMs += latencyMs
      m.maxLatencyMs = Math.max(m.maxLatencyMs, latencyMs)
    })
    instrumentation.on('requestError', ({ broker, api }) => {
      this.entry(broker, api).errors++
    })
    instrumentation.on('throttle', ({ broker, api, throttleTimeMs }) => {
      this.entry(broker, api).throttleTimeMs += throttleTimeMs
    })
  }

  private entry(broker: string, api: string): ApiMetrics {
    let apis = this.byBroker.get(broker)
    if (!apis) {
      apis = new Map()
      this.byBroker.set(broker, apis)
    }
    let m = apis.get(api)
    if (!m) {
      m = { requests: 0, errors: 0, bytesOut: 0, bytesIn: 0, totalLatencyMs: 0, maxLatencyMs: 0, throttleTimeMs: 0 }
      apis.set(api, m)
    }
    return m
  }

  snapshot(): MetricsSnapshot {
    const out: MetricsSnapshot = {}
    for (const [broker, apis] of this.byBroker) {
      out[broker] = {}
      for (const [api, m] of apis) out[broker][api] = { ...m }
    }
    return out
  }
}
