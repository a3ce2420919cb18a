#!/usr/bin/env node
// Writes the console's API types from the server's OpenAPI document, so no request or answer
// is typed by hand: `node console/scripts/api-types.mjs http://127.0.0.1:8080/docs-json`.
// test/console/api-types.test.ts fails when the committed file differs from a fresh one.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const TYPES_FILE = fileURLToPath(new URL('../src/api/schema.ts', import.meta.url));

/** TypeScript for one OpenAPI schema. */
function typeOf(schema) {
  if (schema.$ref) return schema.$ref.split('/').pop();
  if (schema.allOf) return schema.allOf.map(typeOf).join(' & ');
  let type;
  if (schema.enum) type = schema.enum.map((value) => JSON.stringify(value)).join(' | ');
  else if (schema.type === 'array') type = `${wrap(typeOf(schema.items ?? {}))}[]`;
  else if (schema.type === 'object' && schema.properties) type = objectType(schema, '');
  else if (schema.type === 'object') type = 'Record<string, unknown>';
  else if (schema.type === 'integer' || schema.type === 'number') type = 'number';
  else if (schema.type === 'string' || schema.type === 'boolean') type = schema.type;
  else type = 'unknown';
  return schema.nullable ? `${wrap(type)} | null` : type;
}

const wrap = (type) => (/[|&]/.test(type) ? `(${type})` : type);

function objectType(schema, indent) {
  const required = new Set(schema.required ?? []);
  const lines = Object.entries(schema.properties ?? {}).map(([name, property]) => {
    const doc = property.description ? `${indent}  /** ${property.description.replace(/\*\//g, '*\\/')} */\n` : '';
    return `${doc}${indent}  ${name}${required.has(name) ? '' : '?'}: ${typeOf(property)};`;
  });
  return `{\n${lines.join('\n')}\n${indent}}`;
}

/** A schema's TypeScript; a named enum is also a value, its list, which the console shows (webhook event types). */
function model(name, schema) {
  if (schema.type === 'object' && !schema.allOf) return `export interface ${name} ${objectType(schema, '')}`;
  if (schema.enum) return `export const ${name} = ${JSON.stringify(schema.enum)} as const;\nexport type ${name} = (typeof ${name})[number];`;
  return `export type ${name} = ${typeOf(schema)};`;
}

/** The module text for a document's component schemas, in the document's order. */
export function renderTypes(document) {
  const models = Object.entries(document.components.schemas).map(([name, schema]) => model(name, schema));
  return `// Generated from the server's OpenAPI document by console/scripts/api-types.mjs; do not edit.\n\n${models.join('\n\n')}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const url = process.argv[2];
  if (!url) {
    process.stderr.write('usage: api-types.mjs DOCS_JSON_URL\n');
    process.exit(2);
  }
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  writeFileSync(TYPES_FILE, renderTypes(await response.json()));
  process.stdout.write(`wrote ${TYPES_FILE}\n`);
}
