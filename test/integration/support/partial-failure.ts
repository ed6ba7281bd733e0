import { AdminPartialFailureError } from 'kafkit'
import { expect } from 'vitest'

/** The rejection of an admin call, which must be an AdminPartialFailureError (failures and successes to inspect). */
export async function partialFailure(call: Promise<unknown>): Promise<AdminPartialFailureError<unknown>> {
  const error = await call.then(
    () => undefined,
    (reason: unknown) => reason,
  )
  expect(error).toBeInstanceOf(AdminPartialFailureError)
  return error as AdminPartialFailureError<unknown>
}
