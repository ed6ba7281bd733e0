import { CompressionType } from '@kafkit/protocol'

/** Java's steps: trust a better ratio slowly, a worse one quickly, so batches rarely outgrow their size. */
const IMPROVING_STEP = 0.005
const DETERIORATING_STEP = 0.05

/**
 * The compressed/uncompressed size ratio seen so far per topic and codec, as
 * Java's CompressionRatioEstimator: a compressed batch is closed when its
 * estimated compressed size reaches `batchBytes`, so with lz4 halving the
 * records a batch carries twice the records, instead of going out half full.
 */
export class CompressionRatioEstimator {
  readonly #ratios = new Map<string, number>()

  estimate(topic: string, compression: CompressionType): number {
    if (compression === CompressionType.None) return 1
    return this.#ratios.get(`${topic}\u0000${compression}`) ?? 1
  }

  observe(topic: string, compression: CompressionType, observed: number): void {
    if (compression === CompressionType.None || !Number.isFinite(observed) || observed <= 0) return
    const key = `${topic}\u0000${compression}`
    const current = this.#ratios.get(key) ?? 1
    const next =
      observed < current
        ? Math.max(current - IMPROVING_STEP, observed)
        : Math.max(current + DETERIORATING_STEP, observed)
    this.#ratios.set(key, Math.min(1, next))
  }
}
