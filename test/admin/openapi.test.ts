// The API reference: the OpenAPI 3.1 document (structurally valid, every endpoint in it, every
// $ref resolving) and the page people read, for signed-in users only, escaped throughout.

import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import ejs from 'ejs';
import { z } from 'zod';
import { ROLES } from '../../src/accounts/roles.js';
import { endpoint, type Endpoint } from '../../src/admin/api/endpoint.js';
import { adminAreas } from '../../src/admin/areas.js';
import { buildOpenApi, openApiPath, pathParams, type OpenApiDocument } from '../../src/admin/docs/openapi.js';
import { referenceView } from '../../src/admin/docs/reference.js';
import { VIEWS_DIR } from '../../src/gateway.js';
import { createLogger } from '../../src/log.js';
import { api, Browser, makeToken, signedIn } from '../helpers/admin.js';
import { createTestDatabase, stopTestServer, type TestDatabase } from '../helpers/database.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { request } from '../helpers/http.js';
import { startUpstream, type Upstream } from '../helpers/upstream.js';
import { ADMIN, API, SCRIPT } from './windows-fixtures.js';

const METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);
const JSON_TYPES = new Set(['string', 'number', 'integer', 'boolean', 'array', 'object', 'null']);

let db: TestDatabase;
let upstream: Upstream;
let gw: TestGateway;
let endpoints: Endpoint[];
let document: OpenApiDocument;

/** Follows a local JSON pointer (#/components/schemas/Window) through the document. */
function pointer(root: unknown, ref: string): unknown {
  assert.ok(ref.startsWith('#/'), `${ref} is a local reference`);
  return ref
    .slice(2)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), root);
}

/** Every object in a JSON value, with where it is, for structural checks. */
function* nodes(value: unknown, at = '#'): Generator<[Record<string, any>, string]> {
  if (Array.isArray(value)) for (const [index, item] of value.entries()) yield* nodes(item, `${at}/${index}`);
  else if (value && typeof value === 'object') {
    yield [value as Record<string, any>, at];
    for (const [key, child] of Object.entries(value)) yield* nodes(child, `${at}/${key}`);
  }
}

function operations(doc: OpenApiDocument): [string, string, Record<string, any>][] {
  return Object.entries(doc.paths).flatMap(([route, item]) => Object.entries(item).map(([method, op]) => [route, method, op] as [string, string, Record<string, any>]));
}

/** The checks an OpenAPI 3.1 validator makes on the parts this generator writes. */
function assertStructurallyValid(doc: OpenApiDocument): void {
  assert.match(doc.openapi, /^3\.1\.\d+$/);
  assert.equal(typeof doc.info.title, 'string');
  assert.equal(typeof doc.info.version, 'string');
  const tagNames = new Set(doc.tags.map((tag) => tag.name));
  const ids = new Set<string>();
  for (const [route, method, op] of operations(doc)) {
    const where = `${method.toUpperCase()} ${route}`;
    assert.match(route, /^\//, where);
    assert.doesNotMatch(route, /:/, `${where}: placeholders are {name}, not :name`);
    assert.ok(METHODS.has(method), where);
    assert.ok(!ids.has(op.operationId), `${where}: operationId ${op.operationId} is unique`);
    ids.add(op.operationId);
    for (const tag of op.tags) assert.ok(tagNames.has(tag), `${where}: tag ${tag} is declared`);
    const placeholders = [...route.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]);
    const params = (op.parameters ?? []) as Record<string, any>[];
    assert.deepEqual(params.filter((p) => p.in === 'path').map((p) => p.name).sort(), placeholders.sort(), `${where}: path parameters match the placeholders`);
    for (const param of params) {
      assert.ok(['path', 'query', 'header', 'cookie'].includes(param.in), where);
      assert.ok(param.schema && typeof param.schema === 'object', `${where}: ${param.name} has a schema`);
      if (param.in === 'path') assert.equal(param.required, true, `${where}: path parameter ${param.name} is required`);
    }
    const codes = Object.keys(op.responses);
    assert.ok(codes.length > 0, `${where} has responses`);
    for (const code of codes) {
      assert.match(code, /^[1-5]\d\d$/, where);
      const response = op.responses[code].$ref ? pointer(doc, op.responses[code].$ref) : op.responses[code];
      assert.equal(typeof (response as { description?: unknown }).description, 'string', `${where} ${code} has a description`);
    }
    if (op.requestBody) assert.ok(op.requestBody.content['application/json'].schema, `${where}: the body has a JSON schema`);
  }
  for (const [node, at] of nodes(doc)) {
    if (typeof node.$ref === 'string') assert.notEqual(pointer(doc, node.$ref), undefined, `${at}: $ref ${node.$ref} resolves`);
    if (at.startsWith('#/components/schemas/')) {
      assert.ok(!('$id' in node) && !('$schema' in node), `${at}: no $id or $schema, which would change how $refs resolve`);
      const types = Array.isArray(node.type) ? node.type : node.type === undefined ? [] : [node.type];
      for (const type of types) if (typeof type === 'string') assert.ok(JSON_TYPES.has(type), `${at}: type ${type}`);
    }
  }
  const scheme = doc.components.securitySchemes[Object.keys(doc.security[0]!)[0]!];
  assert.deepEqual({ type: scheme?.type, scheme: scheme?.scheme }, { type: 'http', scheme: 'bearer' });
}

before(async () => {
  db = await createTestDatabase();
  upstream = await startUpstream();
  gw = await startGateway(db.url, upstream.url);
  const areas = adminAreas({ config: gw.config, pool: gw.pool, store: gw.store, log: createLogger('silent'), upstream: new URL(upstream.url), now: Date.now });
  endpoints = areas.flatMap((area) => area.endpoints ?? []);
  const token = await makeToken(gw.pool, 'viewer', 'docs-reader');
  const res = await api(gw.url, token, 'GET', `${API}/openapi.json`);
  assert.equal(res.status, 200);
  document = res.body;
});

after(async () => {
  await gw.close();
  await upstream.close();
  await db.drop();
  await stopTestServer();
});

describe('the OpenAPI document', () => {
  it('is a structurally valid OpenAPI 3.1 document in which every $ref resolves', () => {
    assertStructurallyValid(document);
  });

  it('has every endpoint of every area, with its method, path, parameters, tag and role', () => {
    assert.ok(endpoints.length > 15, `found ${endpoints.length} endpoints`);
    assert.equal(operations(document).length, endpoints.length, 'one operation per endpoint, nothing else');
    for (const e of endpoints) {
      const op = document.paths[openApiPath(e.path)]?.[e.method];
      assert.ok(op, `${e.method.toUpperCase()} ${e.path} is documented`);
      assert.deepEqual(op.tags, [e.tag]);
      assert.equal(op.summary, e.summary);
      assert.equal(op['x-required-role'], e.role);
      assert.match(op.description, new RegExp(`Needs a token with the ${e.role} role or above`));
      const pathNames = (op.parameters ?? []).filter((p: any) => p.in === 'path').map((p: any) => p.name);
      assert.deepEqual(pathNames, pathParams(e.path));
      // Every endpoint needs a token; only those above the lowest role can be refused for the role.
      assert.ok(op.responses['401'], `${e.path} documents 401`);
      assert.equal(Boolean(op.responses['403']), e.role !== ROLES[0], `${e.path} documents 403 only when a role can be too low`);
    }
  });

  it('describes the fields of starting maintenance, as the API reads them', () => {
    const op = document.paths['/windows/start']!.post!;
    assert.deepEqual(Object.keys(op.responses).sort(), ['201', '400', '401', '403', '409', '413', '415', '503']);
    const body = pointer(document, op.requestBody.content['application/json'].schema.$ref) as Record<string, any>;
    for (const field of ['title', 'message', 'duration', 'ends_at', 'mode', 'response', 'paths', 'hosts', 'time_zone']) {
      assert.ok(body.properties[field], `the start body lists ${field}`);
    }
    assert.equal(body.additionalProperties, false, 'unknown fields are refused, and the document says so');
    assert.deepEqual(body.properties.mode.enum, ['block', 'read_only']);
    const answer = pointer(document, op.responses['201'].content['application/json'].schema.$ref) as Record<string, any>;
    assert.deepEqual(answer.required, ['window', 'warnings']);
    assert.equal(answer.additionalProperties, undefined, 'answers may gain fields later');
  });

  it('gives examples that the endpoints themselves accept', () => {
    let checked = 0;
    for (const e of endpoints) {
      const schema = document.paths[openApiPath(e.path)]![e.method]!.requestBody?.content['application/json'].schema;
      const body = schema && (pointer(document, schema.$ref) as Record<string, any>);
      for (const example of body?.examples ?? []) {
        const result = e.body!.safeParse(example);
        assert.ok(result.success, `${e.method} ${e.path}: ${JSON.stringify(example)} ${result.error?.message ?? ''}`);
        checked += 1;
      }
    }
    assert.ok(checked >= 5, `checked ${checked} examples`);
  });

  it('lists query parameters and the standard error shape', () => {
    const list = document.paths['/windows']!.get!;
    const scope = list.parameters.find((p: any) => p.name === 'scope');
    assert.deepEqual({ in: scope.in, required: scope.required, values: scope.schema.enum }, { in: 'query', required: false, values: ['current_and_upcoming', 'past'] });
    const badRequest = pointer(document, '#/components/responses/BadRequest') as Record<string, any>;
    const error = pointer(document, badRequest.content['application/json'].schema.$ref) as Record<string, any>;
    assert.deepEqual(Object.keys(error.properties.error.properties), ['code', 'message', 'field']);
    assert.deepEqual(error.properties.error.required, ['code', 'message']);
    assert.equal(badRequest.content['application/json'].example.error.field, 'duration');
  });

  it('is built from any endpoint list: dates, recursion, named and reused shapes, transforms', () => {
    const leaf = z.object({ at: z.date(), name: z.string().describe('a <b>name</b>') }).meta({ id: 'Thing' });
    const tree: z.ZodType = z.object({ label: z.string(), get children() { return z.array(tree); } });
    const taken = z.object({ clash: z.boolean() }).meta({ id: 'Error' });
    const input = z.strictObject({ count: z.preprocess((v) => (v === '' ? undefined : v), z.coerce.number().int().min(1).optional()), when: z.string().transform((s) => new Date(s)) });
    const synthetic: Endpoint[] = [
      endpoint({ method: 'get', path: '/things/:thing_id/parts/:part', tag: 'Things', role: 'viewer', summary: 'A part', query: z.object({ deep: z.enum(['yes', 'no']) }), response: z.object({ one: leaf, two: z.array(leaf), tree }), handler: async () => ({}) }),
      endpoint({ method: 'post', path: '/things', tag: 'Things', role: 'admin', summary: 'Make one', body: input, response: taken, handler: async () => ({}) }),
    ];
    const doc = buildOpenApi(synthetic, { adminPath: '/ops', version: '1.2.3' });
    assertStructurallyValid(doc);
    assert.deepEqual(doc.servers.map((s) => s.url), ['/ops/api/v1']);
    const get = doc.paths['/things/{thing_id}/parts/{part}']!.get!;
    assert.deepEqual(get.parameters.map((p: any) => [p.name, p.in, p.required]), [['thing_id', 'path', true], ['part', 'path', true], ['deep', 'query', true]]);
    const thing = doc.components.schemas.Thing!;
    assert.deepEqual(thing.properties.at, { type: 'string', format: 'date-time' });
    assert.equal(doc.components.schemas.Error!.properties.error.type, 'object', 'a shape named Error does not replace the error shape');
    const body = pointer(doc, doc.paths['/things']!.post!.requestBody.content['application/json'].schema.$ref) as Record<string, any>;
    assert.deepEqual(body.properties.count, { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER });
    assert.deepEqual(body.properties.when, { type: 'string' });
    assert.deepEqual(body.required, ['when']);
  });
});

describe('who may read the reference', () => {
  it('answers 401 JSON to a request without a token, and the document to any token', async () => {
    const anonymous = await api(gw.url, undefined, 'GET', `${API}/openapi.json`);
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.body.error.code, 'GW_ERR_UNAUTHENTICATED');
  });

  it('sends anonymous visitors of the page and of the JSON to the sign-in form', async () => {
    for (const page of [`${ADMIN}/api/docs`, `${ADMIN}/api/openapi.json`]) {
      const res = await new Browser(gw.url).get(page);
      assert.equal(res.url, `${ADMIN}/login?next=${encodeURIComponent(page)}`);
    }
  });

  it('serves every signed-in role the same document as the token holders get', async () => {
    for (const role of ROLES) {
      const browser = await signedIn(gw.pool, gw.url, ADMIN, role);
      const res = await browser.get(`${ADMIN}/api/openapi.json`);
      assert.equal(res.status, 200, role);
      assert.match(res.headers['content-type'] ?? '', /^application\/json/);
      assert.equal(res.headers['cache-control'], 'no-store');
      assert.deepEqual(JSON.parse(res.body), document);
    }
  });
});

describe('the reference page', () => {
  it('shows every operation with its method, path, role, fields and a curl line with the token from the environment', async () => {
    const browser = await signedIn(gw.pool, gw.url, ADMIN, 'viewer');
    const res = await browser.get(`${ADMIN}/api/docs`);
    assert.equal(res.status, 200);
    for (const e of endpoints) {
      const op = document.paths[openApiPath(e.path)]![e.method]!;
      const start = res.body.indexOf(`<article class="card stack operation" id="${op.operationId}"`);
      assert.ok(start > 0, `${e.method} ${e.path} has its section`);
      const section = res.body.slice(start, res.body.indexOf('</article>', start));
      assert.ok(section.includes(`>${e.method.toUpperCase()}</span> <code>${openApiPath(e.path)}</code>`), `${e.path}: method and path`);
      assert.ok(section.includes(`${e.role} or above`), `${e.path}: role`);
      assert.ok(section.includes('-H &#34;Authorization: Bearer $INTERMISSION_TOKEN&#34;'), `${e.path}: curl with the token from the environment`);
      assert.ok(res.body.includes(`href="#${op.operationId}"`), `${e.path}: in the table of contents`);
      if (e.role !== ROLES[0]) assert.ok(section.includes('#error-403'), `${e.path}: may answer 403`);
    }
    const start = res.body.slice(res.body.indexOf('id="postWindowsStart"'));
    for (const field of ['duration', 'ends_at', 'mode', 'paths']) assert.ok(start.includes(`<td><code>${field}</code></td>`), `start lists ${field}`);
    assert.ok(start.includes('<td>&#34;block&#34; | &#34;read_only&#34;</td>'), 'an enum reads as its values');
    // Nothing from another site: every link and asset is on this gateway.
    for (const match of res.body.matchAll(/\b(?:src|href)="([^"]*)"/g)) assert.match(match[1]!, /^(\/|#)/, `local: ${match[1]}`);
  });

  it('escapes what a request brings in, such as its Host header', async () => {
    const browser = await signedIn(gw.pool, gw.url, ADMIN, 'viewer');
    const res = await request(`${gw.url}${ADMIN}/api/docs`, { headers: { cookie: [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; '), host: `x"><script>alert(1)</script>` } });
    assert.equal(res.status, 200);
    assert.ok(!res.body.includes(SCRIPT), 'no script comes back as markup');
    assert.ok(res.body.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
  });

  it('escapes every text the endpoints bring: tags, summaries, descriptions, field names, types and examples', async () => {
    const evil = endpoint({
      method: 'post', path: '/evil/:id', tag: `Tag ${SCRIPT}`, role: 'operator',
      summary: `Summary ${SCRIPT}`,
      description: `Plain ${SCRIPT} and \`code ${SCRIPT}\``,
      body: z.strictObject({ [`field${SCRIPT}`]: z.enum([SCRIPT, 'b']).describe(`about ${SCRIPT}`) }).meta({ examples: [{ note: `it's ${SCRIPT}` }] }),
      response: z.object({ [SCRIPT]: z.string().describe(SCRIPT) }),
      handler: async () => ({}),
    });
    const doc = buildOpenApi([evil], { adminPath: ADMIN, version: '1' });
    const html = await ejs.renderFile(path.join(VIEWS_DIR, 'admin/docs/reference.ejs'), {
      title: 'API reference', siteName: 'Shop', adminPath: ADMIN, rootPath: ADMIN, siteChoices: [], statusPath: '/status', user: undefined, flash: [], nav: '', csrfToken: '',
      can: () => false, apiUrl: `https://shop.example.com${API}`, origin: 'https://shop.example.com',
      ...referenceView([evil], doc, `https://shop.example.com${API}`),
    });
    assert.ok(!html.includes('<script>alert'), 'no script comes back as markup');
    const escaped = html.split('&lt;script&gt;alert(1)&lt;/script&gt;').length - 1;
    assert.ok(escaped >= 8, `every text is there, escaped (${escaped} times)`);
    assert.ok(html.includes(`<code>code &lt;script&gt;`), 'a `quoted` run of a description reads as code');
    assert.ok(html.includes("-d &#39;{&#34;note&#34;:&#34;it&#39;\\&#39;&#39;s"), "the example's quote is escaped for the shell, then for HTML");
  });
});
