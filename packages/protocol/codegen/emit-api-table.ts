import { CodeWriter, kebabCase } from './code-writer.js'
import { GENERATED_HEADER } from './emit-module.js'
import type { MessageModel } from './model.js'
import { isEmpty } from './versions.js'

export interface ApiPair {
  /** The API's name without the Request/Response suffix, e.g. "Produce". */
  name: string
  request: MessageModel
  response: MessageModel
}

export function apiModuleName(api: ApiPair): string {
  return kebabCase(api.name)
}

/** The API table: key, name, versions, flexibility and header versions of every request/response pair. */
export function emitApiTable(apis: ApiPair[]): string {
  const cw = new CodeWriter()
  cw.line(GENERATED_HEADER)
  cw.line("import type { ApiDefinition } from '../api-definition.js'")
  for (const api of apis) {
    cw.line(`import { ${api.request.name}Codec, ${api.response.name}Codec } from './messages/${apiModuleName(api)}.js'`)
    cw.line(`import type { ${api.request.name}, ${api.response.name} } from './messages/${apiModuleName(api)}.js'`)
  }
  for (const api of apis) {
    const { request } = api
    const valid = request.validVersions
    const firstFlexible =
      isEmpty(request.flexibleVersions) || isEmpty(valid) ? -1 : Math.max(request.flexibleVersions.min, valid.min)
    cw.line()
    cw.block(`export const ${api.name}Api: ApiDefinition<${request.name}, ${api.response.name}> = {`, () => {
      cw.line(`apiKey: ${request.apiKey},`)
      cw.line(`name: '${api.name}',`)
      cw.line(`minVersion: ${isEmpty(valid) ? 0 : valid.min},`)
      cw.line(`maxVersion: ${request.maxStableVersion},`)
      cw.line(`latestVersionUnstable: ${request.latestVersionUnstable},`)
      cw.line(`firstFlexibleVersion: ${firstFlexible},`)
      cw.line(`listeners: ${JSON.stringify(listenersOf(request))},`)
      // Flexible requests use header v2 and flexible responses header v1, except that
      // ApiVersions responses always use header v0 so a client can read them before it knows the broker's versions.
      cw.line(
        `requestHeaderVersion: (version: number) => (${firstFlexible >= 0 ? `version >= ${firstFlexible}` : 'false'} ? 2 : 1),`,
      )
      cw.line(
        api.name === 'ApiVersions'
          ? 'responseHeaderVersion: (_version: number) => 0,'
          : `responseHeaderVersion: (version: number) => (${firstFlexible >= 0 ? `version >= ${firstFlexible}` : 'false'} ? 1 : 0),`,
      )
      cw.line(`request: ${request.name}Codec,`)
      cw.line(`response: ${api.response.name}Codec,`)
    })
  }
  cw.line()
  cw.line('/** Every API of this protocol release, by name. */')
  cw.block(
    'export const Apis = {',
    () => {
      for (const api of apis) cw.line(`${api.name}: ${api.name}Api,`)
    },
    '} as const',
  )
  cw.line()
  cw.line('export type ApiName = keyof typeof Apis')
  cw.line()
  cw.line('/** The request and response types of each API, by name. */')
  cw.block('export interface ApiMessages {', () => {
    for (const api of apis) cw.line(`${api.name}: { request: ${api.request.name}; response: ${api.response.name} }`)
  })
  cw.line()
  cw.line('/** Every API of this protocol release, by API key. */')
  cw.line('export const ApiByKey: ReadonlyMap<number, ApiDefinition> = new Map(')
  cw.line('  Object.values(Apis).map((api) => [api.apiKey, api as ApiDefinition]),')
  cw.line(')')
  return cw.toString()
}

function listenersOf(message: MessageModel): string[] {
  return message.listeners ?? []
}
