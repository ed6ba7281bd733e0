import type { Handler } from '../handler.js'
import { describeAclsHandler } from './29-describe-acls.js'
import { createAclsHandler } from './30-create-acls.js'
import { deleteAclsHandler } from './31-delete-acls.js'
import { describeClientQuotasHandler } from './48-describe-client-quotas.js'
import { alterClientQuotasHandler } from './49-alter-client-quotas.js'
import { describeUserScramCredentialsHandler } from './50-describe-user-scram-credentials.js'
import { alterUserScramCredentialsHandler } from './51-alter-user-scram-credentials.js'

/** ACLs, SCRAM credentials and client quotas (see each handler file for its versions and behaviour). */
export const securityHandlers: Handler[] = [
  describeAclsHandler,
  createAclsHandler,
  deleteAclsHandler,
  describeClientQuotasHandler,
  alterClientQuotasHandler,
  describeUserScramCredentialsHandler,
  alterUserScramCredentialsHandler,
] as Handler[]
