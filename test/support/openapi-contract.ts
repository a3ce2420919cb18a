import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/**
 * Every answer the end-to-end tests get is checked against the OpenAPI document of the server
 * that gave it: its route must be documented, its status documented for that route, its body
 * valid against that status's schema, and an error's code one of those the route lists. So the
 * document customers generate clients from cannot drift from what the server does.
 */
type Schema = Record<string, unknown>;
interface ResponseDoc {
  description?: string;
  content?: Record<string, { schema?: Schema }>;
}
interface OperationDoc {
  responses: Record<string, ResponseDoc>;
}
interface Document {
  paths: Record<string, Record<string, OperationDoc>>;
  components: { schemas: Record<string, Schema> };
}

interface Route {
  method: string;
  template: string;
  pattern: RegExp;
  operation: OperationDoc;
}

class Contract {
  private readonly ajv = addFormats(new Ajv({ strict: false, allErrors: true }));
  private readonly compiled = new Map<Schema, ValidateFunction>();
  private readonly routes: Route[];

  constructor(document: Document) {
    this.ajv.addSchema({ $id: 'openapi', components: document.components }, 'openapi');
    this.routes = Object.entries(document.paths).flatMap(([template, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({
        method: method.toUpperCase(),
        template,
        // A path parameter is one segment; literal segments win over parameters (`/devices/search`).
        pattern: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]+')}$`),
        operation,
      })),
    );
    this.routes.sort((a, b) => (a.template.match(/\{/g)?.length ?? 0) - (b.template.match(/\{/g)?.length ?? 0));
  }

  /** What is wrong with this answer, or undefined when the document describes it. */
  check(method: string, path: string, status: number, contentType: string | null, body: unknown): string | undefined {
    const route = this.routes.find((r) => r.method === method && r.pattern.test(path));
    const what = `${method} ${path} → ${status}`;
    if (!route) {
      // A path the server has no route for: the contract's 404.
      if (status === 404 && isErrorBody(body)) return undefined;
      return `${what}: no documented operation`;
    }
    const response = route.operation.responses[String(status)];
    if (!response) return `${what}: status not documented for ${route.method} ${route.template} (documented: ${Object.keys(route.operation.responses).join(', ')})`;
    if (status === 204 || !response.content) return undefined;
    const type = contentType?.split(';')[0].trim() ?? '';
    const media = response.content[type];
    if (!media) return `${what}: content type ${type || 'none'} not documented (documented: ${Object.keys(response.content).join(', ')})`;
    if (media.schema && type === 'application/json') {
      const validate = this.validator(media.schema);
      if (!validate(body)) return `${what}: body does not match the documented schema: ${this.ajv.errorsText(validate.errors)}: ${JSON.stringify(body).slice(0, 300)}`;
    }
    if (status >= 400 && isErrorBody(body)) {
      const listed = (response.description ?? '').split(/,\s*/);
      if (!listed.includes(body.error.code)) return `${what}: error code ${body.error.code} not listed for ${route.method} ${route.template} (${response.description})`;
    }
    return undefined;
  }

  private validator(schema: Schema): ValidateFunction {
    let validate = this.compiled.get(schema);
    if (!validate) {
      validate = this.ajv.compile(JSON.parse(JSON.stringify(schema).replace(/"#\/components\//g, '"openapi#/components/')));
      this.compiled.set(schema, validate);
    }
    return validate;
  }
}

function isErrorBody(body: unknown): body is { error: { code: string; message: string } } {
  const error = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  return typeof error?.code === 'string' && typeof error.message === 'string';
}

const contracts = new Map<string, Promise<Contract>>();

/** The contract of the server at `origin`, read once from its own `/docs-json`. */
function contractOf(origin: string): Promise<Contract> {
  let contract = contracts.get(origin);
  if (!contract) {
    contract = fetch(`${origin}/docs-json`).then(async (response) => new Contract((await response.json()) as Document));
    contract.catch(() => contracts.delete(origin));
    contracts.set(origin, contract);
  }
  return contract;
}

/** Paths outside the API: the console's pages and files, the document itself, Prometheus's scrape. */
const OUTSIDE_THE_API = /^\/(?!v1\/|v1$|healthz$|readyz$)/;

/** Throws when the answer is not what the server's OpenAPI document says it can be. */
export async function assertDocumented(url: URL, method: string, status: number, contentType: string | null, body: unknown): Promise<void> {
  if (OUTSIDE_THE_API.test(url.pathname)) return;
  const problem = (await contractOf(url.origin)).check(method, url.pathname, status, contentType, body);
  if (problem) throw new Error(`Answer outside the OpenAPI document: ${problem}`);
}
