import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { encodeRecordBatchSync } from '@kafkit/protocol'
import { afterEach, describe, expect, it } from 'vitest'
import { startEmbeddedKafka } from '../src/embedded/embedded-kafka.js'
import { loadClusterData, saveClusterData } from '../src/embedded/state/persistence.js'

const dirs: string[] = []
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })))
})

describe('embedded cluster data on disk', () => {
  it('restores topics, ids, configs, offsets and batches into a new cluster', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kafkit-data-'))
    dirs.push(dir)
    const first = await startEmbeddedKafka({ security: false })
    const topic = first.control.state.createTopic('orders', 2, 1, new Map([['retention.ms', '1000']]))
    const log = topic.partitions[1]!.log
    for (let i = 0; i < 3; i++) {
      log.append(
        encodeRecordBatchSync({ records: [{ key: Buffer.from(`k${i}`), value: Buffer.from(`v${i}`), timestamp: i }] }),
        0,
        Date.now(),
      )
    }
    log.truncateBefore(1n)
    await saveClusterData(first.control.state, dir)
    await first.stop()

    const second = await startEmbeddedKafka({ security: false })
    expect(await loadClusterData(second.control.state, dir)).toBe(1)
    const restored = second.control.state.topics.get('orders')!
    expect(restored.topicId).toBe(topic.topicId)
    expect(second.control.state.topicsById.get(topic.topicId)).toBe(restored)
    expect(restored.configs.get('retention.ms')).toBe('1000')
    expect(restored.partitions).toHaveLength(2)
    const restoredLog = restored.partitions[1]!.log
    expect(restoredLog.logStartOffset).toBe(1n)
    expect(restoredLog.logEndOffset).toBe(3n)
    expect(restoredLog.storedBatches.map((b) => b.baseOffset)).toEqual([1n, 2n])
    expect(Buffer.concat(restoredLog.read(1n, 1 << 20)).equals(Buffer.concat(log.read(1n, 1 << 20)))).toBe(true)
    await second.stop()
  })

  it('starts empty from a folder with no data', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kafkit-data-'))
    dirs.push(dir)
    const kafka = await startEmbeddedKafka({ security: false })
    expect(await loadClusterData(kafka.control.state, dir)).toBe(0)
    await kafka.stop()
  })
})
