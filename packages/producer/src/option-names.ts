import { InvalidMessageError } from '@kafkit/protocol'
import type { ProducerOptions } from './options.js'

/** Every option name; typed so that an option added to ProducerOptions must be listed here too. */
const KNOWN_OPTIONS: Record<keyof ProducerOptions, true> = {
  acks: true,
  idempotent: true,
  compression: true,
  compressionLevel: true,
  batchBytes: true,
  lingerMs: true,
  bufferMemoryBytes: true,
  maxBlockMs: true,
  maxInFlightRequests: true,
  requestTimeoutMs: true,
  deliveryTimeoutMs: true,
  maxRequestBytes: true,
  retryBackoffMs: true,
  retryBackoffMaxMs: true,
  partitioner: true,
  transactionalId: true,
  transactionTimeoutMs: true,
}

/** Names users bring from the Java client or kafkajs, and what kafkit calls them. */
const RENAMED: Record<string, string> = {
  batchSize: 'batchBytes (Java batch.size)',
  'batch.size': 'batchBytes',
  bufferMemory: 'bufferMemoryBytes (Java buffer.memory)',
  'buffer.memory': 'bufferMemoryBytes',
  linger: 'lingerMs',
  'linger.ms': 'lingerMs',
  enableIdempotence: 'idempotent',
  'enable.idempotence': 'idempotent',
  transactionTimeout: 'transactionTimeoutMs (kafkajs transactionTimeout)',
  'transactional.id': 'transactionalId',
  createPartitioner: "partitioner ('default', 'round-robin', 'kafkajs' or a function)",
  retry: 'retryBackoffMs, retryBackoffMaxMs and deliveryTimeoutMs (kafkajs retry)',
  timeout: 'requestTimeoutMs',
}

/**
 * Fails on an option kafkit does not know, so that a misspelt or foreign name
 * (kafkajs's `createPartitioner`, Java's `batch.size`) does not silently keep the default.
 */
export function checkOptionNames(options: object): void {
  for (const name of Object.keys(options)) {
    if (Object.hasOwn(KNOWN_OPTIONS, name)) continue
    const renamed = RENAMED[name]
    throw new InvalidMessageError(
      renamed
        ? `unknown producer option "${name}": kafkit calls it ${renamed}`
        : `unknown producer option "${name}"; the options are ${Object.keys(KNOWN_OPTIONS).join(', ')}`,
    )
  }
}
