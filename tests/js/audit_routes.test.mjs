// A refused request reads with its route in words (audit/routes.js): each route named there is
// one the gateway declares (its OpenAPI document lists them all), and each has words in every
// language.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { useCatalogueFiles } from './catalogues.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const catalogue = (lang) => JSON.parse(readFileSync(join(ROOT, 'gateway/webclient/i18n', lang, 'audit.json'), 'utf8'));

useCatalogueFiles();

const { NAMED_ROUTES, ROUTE_KEYS, routeKey } = await import('../../gateway/webclient/js/audit/routes.js');
const { initI18n } = await import('../../gateway/webclient/js/core/i18n.js');
const { describeEntry } = await import('../../gateway/webclient/js/audit/describe.js');
const { directory } = await import('../../gateway/webclient/js/audit/labels.js');

test('every route named is one the gateway declares', () => {
  const openapi = JSON.parse(readFileSync(join(ROOT, 'gateway/openapi/openapi.json'), 'utf8'));
  const declared = new Set(Object.entries(openapi.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`)));
  for (const route of NAMED_ROUTES) assert.ok(declared.has(route), route);
  assert.equal(routeKey('GET /api/v1/nothing'), null);
  assert.equal(routeKey('constructor'), null);
});

test('every route has its words in every language', () => {
  for (const lang of ['en', 'zh-Hans', 'zh-Hant']) {
    const words = catalogue(lang);
    for (const key of ROUTE_KEYS) assert.ok(typeof words[key] === 'string' && words[key], `${lang}: ${key}`);
  }
});

test('a refused route reads as words in every language, never as its path', async () => {
  const dir = directory([]);
  const refused = { time: Date.UTC(2026, 10, 27, 4, 23), action: 'auth.denied', outcome: 'denied', service: 'gateway',
    actor: { id: 'anonymous', kind: 'anonymous' }, resource: { type: 'route', id: 'GET /api/v1/hearings/{hearing}/documents/{document}/content' },
    details: { reason: 'hearing.member: sign-in required', method: 'GET', path: '/api/v1/hearings/h1/documents/d1/content' } };
  for (const [lang, words] of [['en', "read a document's contents"], ['zh-Hans', '读取文件内容'], ['zh-Hant', '讀取文件內容']]) {
    await initI18n(lang);
    const text = describeEntry(refused, dir, 'UTC', { withTime: false });
    assert.ok(text.includes(words) && !text.includes('/api/'), `${lang}: ${text}`);
  }
});
