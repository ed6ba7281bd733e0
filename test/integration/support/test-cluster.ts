import { type KafkaTestCluster, type StartKafkaOptions, startKafka, TargetUnavailableError } from '@kafkit/testkit'
import { afterAll, afterEach } from 'vitest'

export interface TestClusterHandle {
  /** The running cluster, or undefined when the target cannot start here. */
  cluster: KafkaTestCluster | undefined
  /** Why the target is unavailable, printed as the skip reason. */
  skipReason: string | undefined
}

/**
 * Starts one cluster for a test file (call at the top level, before `describe`):
 * the target comes from KAFKA_BROKERS / KAFKIT_TARGET. A target that cannot run
 * on this machine gives a skip reason instead, which the file prints. The
 * cluster stops after the file; its logs are kept when a test failed.
 */
export async function useTestCluster(options: StartKafkaOptions = {}): Promise<TestClusterHandle> {
  let cluster: KafkaTestCluster
  try {
    cluster = await startKafka(options)
  } catch (error) {
    if (!(error instanceof TargetUnavailableError)) throw error
    console.warn(`skipped: ${error.message}`)
    return { cluster: undefined, skipReason: error.message }
  }
  let failed = false
  afterEach((context) => {
    if (context.task.result?.state === 'fail') failed = true
  })
  afterAll(async () => {
    await cluster.stop({ keepFiles: failed })
    if (failed && cluster.dir) console.warn(`a test failed: broker logs kept in ${cluster.dir}`)
  })
  return { cluster, skipReason: undefined }
}

/** A topic name no other test uses. */
export function uniqueTopic(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`
}
