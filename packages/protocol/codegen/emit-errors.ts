import { CodeWriter } from './code-writer.js'
import { GENERATED_HEADER } from './emit-module.js'
import type { RawError } from './spec-files.js'

/** `OFFSET_OUT_OF_RANGE` → `OffsetOutOfRangeError`. */
export function errorClassName(name: string): string {
  return `${name
    .toLowerCase()
    .split('_')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('')}Error`
}

const AUTHENTICATION_ERRORS = new Set([
  'SASL_AUTHENTICATION_FAILED',
  'ILLEGAL_SASL_STATE',
  'UNSUPPORTED_SASL_MECHANISM',
])

/** The hand-written base of an error's class, mirroring Java's exception hierarchy. */
export function errorBaseClass(name: string): 'ApiError' | 'AuthenticationError' | 'AuthorizationError' {
  if (AUTHENTICATION_ERRORS.has(name)) return 'AuthenticationError'
  if (name.endsWith('_AUTHORIZATION_FAILED')) return 'AuthorizationError'
  return 'ApiError'
}

/** The error table of errors.json as data and as one `ApiError` subclass per code. */
export function emitErrors(errors: RawError[]): string {
  const cw = new CodeWriter()
  cw.line(GENERATED_HEADER)
  cw.line(
    "import { ApiError, type ApiErrorContext, type ApiErrorDefinition, AuthenticationError, AuthorizationError } from '../errors.js'",
  )
  const real = errors.filter((error) => error.code !== 0)
  cw.line()
  cw.line('/** Every error code of this protocol release (code 0, NONE, is not an error). */')
  cw.block(
    'export const ERROR_DEFINITIONS: readonly ApiErrorDefinition[] = [',
    () => {
      for (const error of real) {
        cw.line(
          `{ code: ${error.code}, name: '${error.name}', retriable: ${error.retriable}, message: ${JSON.stringify(error.message ?? error.name)} },`,
        )
      }
    },
    ']',
  )
  cw.line()
  cw.line('const byCode = new Map(ERROR_DEFINITIONS.map((definition) => [definition.code, definition]))')
  cw.line('function definition(code: number): ApiErrorDefinition {')
  cw.line('  return byCode.get(code)!')
  cw.line('}')
  for (const error of real) {
    cw.line()
    cw.line(
      `/** ${error.code} ${error.name}${error.retriable ? ' (retriable)' : ''}: ${(error.message ?? '').replace(/\*\//g, '*\\/')} */`,
    )
    cw.block(`export class ${errorClassName(error.name)} extends ${errorBaseClass(error.name)} {`, () => {
      cw.line(`static readonly code = ${error.code}`)
      cw.block('constructor(context?: ApiErrorContext) {', () => cw.line(`super(definition(${error.code}), context)`))
    })
  }
  cw.line()
  cw.line('const classes = new Map<number, new (context?: ApiErrorContext) => ApiError>([')
  for (const error of real) cw.line(`  [${error.code}, ${errorClassName(error.name)}],`)
  cw.line('])')
  cw.line()
  cw.line('/**')
  cw.line(' * The typed error for a response error code, or undefined for 0 (NONE). A code')
  cw.line(' * this release does not know becomes a generic, non-retriable ApiError.')
  cw.line(' */')
  cw.block('export function errorFromCode(code: number, context?: ApiErrorContext): ApiError | undefined {', () => {
    cw.line('if (code === 0) return undefined')
    cw.line('const ErrorClass = classes.get(code)')
    cw.line('if (ErrorClass) return new ErrorClass(context)')
    const unknownName = ['`UNKNOWN_ERROR_CODE_$', '{code}`'].join('')
    cw.line(
      `return new ApiError({ code, name: ${unknownName}, retriable: false, message: 'an error code this client does not know' }, context)`,
    )
  })
  cw.line()
  cw.line('/** The table entry for a code, or undefined when this release does not know it. */')
  cw.block('export function errorDefinition(code: number): ApiErrorDefinition | undefined {', () => {
    cw.line('return byCode.get(code)')
  })
  return cw.toString()
}
