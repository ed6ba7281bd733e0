import { kebabCase } from './code-writer.js'
import { type ApiPair, apiModuleName, emitApiTable } from './emit-api-table.js'
import { emitErrors } from './emit-errors.js'
import { emitModule, GENERATED_HEADER } from './emit-module.js'
import { buildMessageModel, type MessageModel } from './model.js'
import { readErrors, readSpecFolder } from './spec-files.js'

/** The generated tree as a map from path (relative to src/generated) to file contents. */
export function generate(specFolder: string): Map<string, string> {
  const models = readSpecFolder(specFolder).map(buildMessageModel)
  const files = new Map<string, string>()
  const apis = pairApis(models)
  const paired = new Set(apis.flatMap((api) => [api.request, api.response]))
  const modules: string[] = []
  for (const api of apis) {
    files.set(`messages/${apiModuleName(api)}.ts`, emitModule([api.request, api.response]))
    modules.push(apiModuleName(api))
  }
  for (const model of models.filter((m) => !paired.has(m))) {
    files.set(`messages/${kebabCase(model.name)}.ts`, emitModule([model]))
    modules.push(kebabCase(model.name))
  }
  files.set('api-table.ts', emitApiTable(apis))
  files.set('errors.ts', emitErrors(readErrors(specFolder)))
  const index = [GENERATED_HEADER, "export * from './api-table.js'", "export * from './errors.js'"]
  for (const module of modules.sort()) index.push(`export * from './messages/${module}.js'`)
  files.set('index.ts', `${index.join('\n')}\n`)
  return files
}

/** Requests and their responses matched by name, sorted by API key. */
export function pairApis(models: MessageModel[]): ApiPair[] {
  const responses = new Map(models.filter((m) => m.kind === 'response').map((m) => [m.name, m]))
  return models
    .filter((m) => m.kind === 'request')
    .map((request) => {
      const name = request.name.replace(/Request$/, '')
      const response = responses.get(`${name}Response`)
      if (!response) throw new Error(`no response spec for ${request.name}`)
      if (response.apiKey !== request.apiKey) throw new Error(`${name}: request and response api keys differ`)
      return { name, request, response }
    })
    .sort((a, b) => (a.request.apiKey ?? 0) - (b.request.apiKey ?? 0))
}
