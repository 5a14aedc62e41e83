// For node tests of modules that translate: the browser globals core/i18n.js touches, and its
// catalogues read from disk (its loader fetches them beside the module). Not a test itself
// (tests/js/*.test.mjs are). Call before importing the modules under test (dynamic `import()`).
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export function useCatalogueFiles(languages = ["en-GB"]) {
  Object.defineProperty(globalThis, "navigator", {
    value: { languages, language: languages[0] }, configurable: true,
  });
  globalThis.document = { documentElement: {} };
  globalThis.localStorage = { getItem: () => null, setItem: () => {} };
  globalThis.fetch = async (url) => {
    try {
      const text = readFileSync(fileURLToPath(url), "utf8");
      return { ok: true, json: async () => JSON.parse(text) };
    } catch {
      return { ok: false, json: async () => ({}) };
    }
  };
}
