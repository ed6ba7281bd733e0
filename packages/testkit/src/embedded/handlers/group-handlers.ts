import type { Handler } from '../handler.js'
import { offsetCommitHandler } from './08-offset-commit.js'
import { offsetFetchHandler } from './09-offset-fetch.js'
import { joinGroupHandler } from './11-join-group.js'
import { heartbeatHandler } from './12-heartbeat.js'
import { leaveGroupHandler } from './13-leave-group.js'
import { syncGroupHandler } from './14-sync-group.js'
import { describeGroupsHandler } from './15-describe-groups.js'
import { listGroupsHandler } from './16-list-groups.js'
import { deleteGroupsHandler } from './42-delete-groups.js'
import { offsetDeleteHandler } from './47-offset-delete.js'
import { consumerGroupHeartbeatHandler } from './68-consumer-group-heartbeat.js'
import { consumerGroupDescribeHandler } from './69-consumer-group-describe.js'

/** The group APIs of the embedded broker (see each handler file for its versions and behaviour). */
export const groupHandlers: Handler[] = [
  offsetCommitHandler,
  offsetFetchHandler,
  joinGroupHandler,
  heartbeatHandler,
  leaveGroupHandler,
  syncGroupHandler,
  describeGroupsHandler,
  listGroupsHandler,
  deleteGroupsHandler,
  offsetDeleteHandler,
  consumerGroupHeartbeatHandler,
  consumerGroupDescribeHandler,
] as Handler[]
