import type { Handler } from '../handler.js'
import { createTopicsHandler } from './19-create-topics.js'
import { deleteTopicsHandler } from './20-delete-topics.js'
import { describeConfigsHandler } from './32-describe-configs.js'
import { alterConfigsHandler } from './33-alter-configs.js'
import { describeLogDirsHandler } from './35-describe-log-dirs.js'
import { createPartitionsHandler } from './37-create-partitions.js'
import { electLeadersHandler } from './43-elect-leaders.js'
import { incrementalAlterConfigsHandler } from './44-incremental-alter-configs.js'
import { alterPartitionReassignmentsHandler } from './45-alter-partition-reassignments.js'
import { listPartitionReassignmentsHandler } from './46-list-partition-reassignments.js'
import { describeClusterHandler } from './60-describe-cluster.js'
import { describeTopicPartitionsHandler } from './75-describe-topic-partitions.js'

/** The admin APIs of the embedded broker (see each handler file for its versions and behaviour). */
export const adminHandlers: Handler[] = [
  createTopicsHandler,
  deleteTopicsHandler,
  describeConfigsHandler,
  alterConfigsHandler,
  createPartitionsHandler,
  incrementalAlterConfigsHandler,
  describeClusterHandler,
  describeTopicPartitionsHandler,
  describeLogDirsHandler,
  electLeadersHandler,
  alterPartitionReassignmentsHandler,
  listPartitionReassignmentsHandler,
] as Handler[]
