import type { ClusterState } from './cluster-state.js'
import { batchTime, compactLog } from './log-compaction.js'
import { type LogConfig, logConfig } from './log-config.js'
import type { PartitionLog } from './partition-log.js'

/**
 * How often the background cleaner runs: Kafka's log.retention.check.interval.ms
 * (5 minutes). A shorter interval deleted records with old fixed timestamps
 * under running tests; tests that want retention now call control.applyRetention().
 */
const DEFAULT_INTERVAL_MS = 300_000

/**
 * Where retention moves the log start, as Kafka's deleteOldSegments decides
 * it with each batch standing for a segment: from the oldest, batches older
 * than retention.ms go, then batches while the log stays above
 * retention.bytes; deletion stops at the first batch that must stay.
 */
function retentionStart(log: PartitionLog, config: LogConfig, now: number): bigint | undefined {
  const batches = log.storedBatches
  let first = 0
  if (config.retentionMs >= 0) {
    while (first < batches.length && now - batchTime(batches[first]!) > config.retentionMs) first++
  }
  if (config.retentionBytes >= 0) {
    let excess = batches.slice(first).reduce((sum, batch) => sum + batch.bytes.length, 0) - config.retentionBytes
    while (first < batches.length && excess - batches[first]!.bytes.length >= 0) {
      excess -= batches[first]!.bytes.length
      first++
    }
  }
  if (first === 0) return undefined
  // The next batch starts the log; when every batch went, the log starts at its end.
  return batches[first]?.baseOffset ?? log.logEndOffset
}

/**
 * Applies every topic's cleanup policy once: retention.ms and retention.bytes
 * under "delete", compaction under "compact" (both when set to both). The
 * control API calls it on demand; startLogCleaner calls it on a timer.
 */
export async function applyRetention(cluster: ClusterState, now = Date.now()): Promise<void> {
  for (const topic of [...cluster.topics.values()]) {
    const config = logConfig(cluster, topic)
    for (const partition of topic.partitions) {
      const log = partition.log
      if (config.compact) await compactLog(log, config, now)
      if (config.delete) {
        const start = retentionStart(log, config, now)
        if (start !== undefined) log.truncateBefore(start)
      }
    }
  }
}

/** Runs applyRetention every few seconds without keeping the process alive; returns the function that stops it. */
export function startLogCleaner(cluster: ClusterState, intervalMs = DEFAULT_INTERVAL_MS): () => void {
  let running = false
  const timer = setInterval(() => {
    if (running) return
    running = true
    applyRetention(cluster)
      .catch(() => {
        // A batch that cannot be decompressed is left as it is; the next run tries again.
      })
      .finally(() => {
        running = false
      })
  }, intervalMs)
  timer.unref()
  return () => clearInterval(timer)
}
