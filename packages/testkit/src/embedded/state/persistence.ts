import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { readBatchHeader, splitRecordBatches } from '@kafkit/protocol'
import type { ClusterState } from './cluster-state.js'

/**
 * Keeps an embedded cluster's topics and records in a folder, for `kafkit broker
 * --data-dir`: `cluster.json` describes the topics and configs, and each
 * partition's batches are one file under `logs/`, in log order. Written on
 * shutdown (and whenever saveClusterData is called), restored on start.
 */
interface SavedTopic {
  name: string
  topicId: string
  configs: Record<string, string>
  partitions: { partition: number; replicas: number[]; logStartOffset: string }[]
}

export async function saveClusterData(cluster: ClusterState, dir: string): Promise<void> {
  await mkdir(join(dir, 'logs'), { recursive: true })
  const topics: SavedTopic[] = []
  for (const topic of cluster.topics.values()) {
    topics.push({
      name: topic.name,
      topicId: topic.topicId,
      configs: Object.fromEntries(topic.configs),
      partitions: topic.partitions.map((p) => ({
        partition: p.partition,
        replicas: p.replicas,
        logStartOffset: p.log.logStartOffset.toString(),
      })),
    })
    for (const partition of topic.partitions) {
      const bytes = Buffer.concat(partition.log.storedBatches.map((batch) => batch.bytes))
      await writeFile(join(dir, 'logs', `${topic.topicId}-${partition.partition}.bin`), bytes)
    }
  }
  // Write-then-rename, so an interrupted save leaves the previous description intact.
  const file = join(dir, 'cluster.json')
  await writeFile(`${file}.tmp`, JSON.stringify({ version: 1, topics }, null, 1))
  await rename(`${file}.tmp`, file)
}

/** Restores what saveClusterData wrote; returns the number of topics (0 for an empty or new folder). */
export async function loadClusterData(cluster: ClusterState, dir: string): Promise<number> {
  let saved: { topics: SavedTopic[] }
  try {
    saved = JSON.parse(await readFile(join(dir, 'cluster.json'), 'utf8')) as { topics: SavedTopic[] }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0
    throw new Error(`cannot read ${join(dir, 'cluster.json')}: ${(error as Error).message}`)
  }
  for (const entry of saved.topics) {
    const topic = cluster.createTopic(
      entry.name,
      entry.partitions.length,
      entry.partitions[0]?.replicas.length ?? 1,
      new Map(Object.entries(entry.configs)),
    )
    cluster.topicsById.delete(topic.topicId)
    topic.topicId = entry.topicId
    cluster.topicsById.set(topic.topicId, topic)
    for (const savedPartition of entry.partitions) {
      const log = topic.partitions[savedPartition.partition]!.log
      const bytes = await readFile(join(dir, 'logs', `${entry.topicId}-${savedPartition.partition}.bin`)).catch(() =>
        Buffer.alloc(0),
      )
      log.logStartOffset = BigInt(savedPartition.logStartOffset)
      log.logEndOffset = log.logStartOffset
      for (const raw of splitRecordBatches(bytes)) {
        const header = readBatchHeader(raw.bytes)
        // append() numbers a batch from the log end: set it to the batch's own offset to keep offsets.
        log.logEndOffset = header.baseOffset
        log.append(raw.bytes, header.partitionLeaderEpoch, Date.now())
      }
    }
  }
  return saved.topics.length
}
