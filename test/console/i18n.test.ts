import { CATALOG, ERROR_STATUS } from '@seatlock/shared';
import { parseSync } from '@swc/core';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LANGUAGES, languageFor, RESOURCES } from '../../console/src/i18n/resources';
import { REPO_ROOT } from '../support/server';

type Tree = { [key: string]: string | Tree };

/** Every key of a catalog with its text: `{ a: { b: 'x' } }` → `[['a.b', 'x']]`. */
function flatten(tree: Tree, prefix = ''): [string, string][] {
  return Object.entries(tree).flatMap(([key, value]) => (typeof value === 'string' ? [[`${prefix}${key}`, value] as [string, string]] : flatten(value, `${prefix}${key}.`)));
}

/** What a text fills in or wraps: its `{{values}}` and `<tags>`, which every language must keep. */
function placeholders(text: string): string[] {
  return [...text.matchAll(/\{\{\s*(\w+)\s*\}\}|<\/?(\w+)>/g)].map((found) => found[0].replace(/\s/g, '')).sort();
}

const catalogs = Object.fromEntries(LANGUAGES.map((language) => [language, new Map(flatten(RESOURCES[language].translation as Tree))]));

describe("the console's catalogs", () => {
  it('have the same keys in every language, none empty, each text with the same {{values}} and <tags>', () => {
    const [first, ...others] = LANGUAGES;
    for (const language of others) {
      expect([...catalogs[language].keys()].sort(), `${language} against ${first}`).toEqual([...catalogs[first].keys()].sort());
    }
    for (const language of LANGUAGES) {
      for (const [key, text] of catalogs[language]) {
        expect(text.trim(), `${language} ${key}`).not.toBe('');
        expect(placeholders(text), `${language} ${key}`).toEqual(placeholders(catalogs[first].get(key) as string));
      }
    }
  });

  it("name every error code of the contract, the catalog's products, features, modalities and platforms in every language", () => {
    const needed = [
      ...Object.keys(ERROR_STATUS).map((code) => `errors.${code}`),
      'errors.NETWORK_ERROR',
      'errors.INTERNAL_ERROR',
      ...CATALOG.products.map((product) => `products.${product.id}`),
      ...[...new Set(CATALOG.products.flatMap((product) => product.features))].map((feature) => `features.${feature}`),
      ...CATALOG.modalities.map((modality) => `modalities.${modality}`),
      ...CATALOG.platforms.map((platform) => `platforms.${platform.id}`),
    ];
    for (const language of LANGUAGES) expect(needed.filter((key) => !catalogs[language].has(key)), language).toEqual([]);
  });

  it("choose the language from the browser's preferences: the first Chinese or English one, else English", () => {
    expect(languageFor(['zh-CN', 'en'])).toBe('zh-CN');
    expect(languageFor(['zh-TW'])).toBe('zh-CN');
    expect(languageFor(['ZH'])).toBe('zh-CN');
    expect(languageFor(['fr-FR', 'en-GB', 'zh-CN'])).toBe('en');
    expect(languageFor(['de-DE'])).toBe('en');
    expect(languageFor([])).toBe('en');
  });
});

/** JSX attributes that people read (or hear): their text must come from the catalogs. */
const TEXT_ATTRIBUTE = /^(aria-label|alt|children|columns|secondary)$|label(?!ledby)|title|text|placeholder|message|description|error|empty/i;
/** Object properties that become visible text (a select's options, a menu entry). */
const TEXT_PROPERTY = /^(label|title|text|placeholder|description|message)$/;
/** What stays as it is in every language: the product's own name, an example address. */
const ALLOWED = /^(Seatlock|https:\/\/\S+)$/;
const WORDS = /\p{L}/u;

interface Node {
  type: string;
  [field: string]: unknown;
}

/**
 * Text written into the console's components instead of taken from the catalogs: JSX text, string
 * literals in text-bearing attributes and properties, and literals a JSX child expression can show
 * (through `?:`, `&&`, `||`, `??`, templates). Text inside `<Code>` (a command) is not prose.
 */
export function untranslatedIn(source: string): string[] {
  const found: string[] = [];
  const literalsOf = (node: Node | undefined): string[] => {
    if (!node) return [];
    switch (node.type) {
      case 'StringLiteral':
        return [node.value as string];
      case 'TemplateLiteral':
        return (node.quasis as { raw: string }[]).map((quasi) => quasi.raw).concat((node.expressions as Node[]).flatMap(literalsOf));
      case 'ConditionalExpression':
        return [...literalsOf(node.consequent as Node), ...literalsOf(node.alternate as Node)];
      case 'BinaryExpression':
        // `a && 'text'` shows its right side; `a ?? 'text'`, `a || 'text'` and `'a' + b` either; a comparison neither.
        if (node.operator === '&&') return literalsOf(node.right as Node);
        return ['||', '??', '+'].includes(node.operator as string) ? [...literalsOf(node.left as Node), ...literalsOf(node.right as Node)] : [];
      case 'ParenthesisExpression':
      case 'JSXExpressionContainer':
      case 'TsAsExpression':
        return literalsOf(node.expression as Node);
      case 'ArrayExpression':
        return (node.elements as ({ expression: Node } | null)[]).flatMap((element) => literalsOf(element?.expression));
      default:
        return [];
    }
  };
  const report = (texts: string[]) => found.push(...texts.map((text) => text.trim()).filter((text) => WORDS.test(text) && !ALLOWED.test(text)));
  const visit = (node: unknown, inCode: boolean): void => {
    if (Array.isArray(node)) return node.forEach((child) => visit(child, inCode));
    if (!node || typeof node !== 'object') return;
    const current = node as Node;
    let code = inCode;
    if (current.type === 'JSXElement') {
      const name = (current.opening as { name: { value?: string } }).name.value;
      code = inCode || name === 'Code' || name === 'code';
    }
    if (current.type === 'JSXText' && !code) report([current.value as string]);
    if (current.type === 'JSXExpressionContainer' && !code) report(literalsOf(current.expression as Node));
    if (current.type === 'JSXAttribute') {
      const name = current.name as { value?: string; name?: { value: string } };
      const attribute = name.value ?? name.name?.value ?? '';
      const value = current.value as Node | undefined;
      if (TEXT_ATTRIBUTE.test(attribute)) report(literalsOf(value));
      // JSX inside an attribute (an empty state's fragment) is read like any other.
      visit(value?.type === 'JSXExpressionContainer' ? value.expression : value, code);
      return;
    }
    if (current.type === 'KeyValueProperty') {
      const key = current.key as Node;
      if (key.type === 'Identifier' && TEXT_PROPERTY.test(key.value as string)) report(literalsOf(current.value as Node));
    }
    for (const [field, value] of Object.entries(current)) if (field !== 'span') visit(value, code);
  };
  visit(parseSync(source, { syntax: 'typescript', tsx: true }).body, false);
  return found;
}

const CONSOLE_SOURCE = join(REPO_ROOT, 'console/src');

function componentFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return componentFiles(path);
    return entry.name.endsWith('.tsx') ? [path] : [];
  });
}

describe('text outside the catalogs', () => {
  it('is found by the scan: JSX text, a label, a conditional child, an option', () => {
    const sample = `
      export const A = () => <Button>Save</Button>;
      export const B = () => <TextInput label="Name" placeholder={x ? 'Any pool' : t('y')} />;
      export const C = (ok: boolean) => <Text aria-labelledby="c-title">{ok ? '' : ' Not you.'}{t('z')} · <Code>seatlock-agent activate</Code>{kind === 'order' && t('o')}</Text>;
      export const D = [{ value: 'id', label: 'Device id' }];
      export const E = () => <PagedTable columns={['When', t('a')]} data-testid="kept" href="/catalog" color={ok ? 'teal' : 'red'} empty={<>{t('b')} <Link>catalog</Link></>} />;
    `;
    expect(untranslatedIn(sample)).toEqual(['Save', 'Name', 'Any pool', 'Not you.', 'Device id', 'When', 'catalog']);
  });

  it('is nowhere in the console: every visible word comes through t()', () => {
    const found = componentFiles(CONSOLE_SOURCE).flatMap((path) => untranslatedIn(readFileSync(path, 'utf8')).map((text) => `${relative(CONSOLE_SOURCE, path)}: ${text}`));
    expect(found).toEqual([]);
  });
});
