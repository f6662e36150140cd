// Lint settings: typescript-eslint's strict type-checked rules for all our TypeScript, plus the layer order of ARCHITECTURE.md.
import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

// The layer order of ARCHITECTURE.md ("Layers"), lowest first. A folder may import only folders of lower rows; folders
// on one row may not import each other. Each file is held to this, so a chain of imports can only ever go down.
const LAYERS = [
  ["config"],
  ["graph"],
  ["snapshot"],
  ["model"],
  ["engine"],
  ["waivers"],
  ["report"],
  ["collect", "permissions", "history"],
  ["emulator", "trace", "remediate"],
  ["predict", "export"],
  ["app"],
  ["check"],
  ["cli"],
];
const ORDER = 'ARCHITECTURE.md "Layers"';
const GRAPH_CLIENT = "@microsoft/microsoft-graph-client";

// A relative specifier from any depth under src/ (or from rules/ and the root) that lands in a folder of src/.
const into = (folder) => `^(\\.\\./)+(src/)?${folder}(/|$)`;
const intoRules = "^(\\.\\./)+rules(/|$)";

/** The no-restricted-imports patterns for the files of one layer folder. */
function layerPatterns(folder) {
  const row = LAYERS.findIndex((r) => r.includes(folder));
  const above = LAYERS.slice(row)
    .flat()
    .filter((f) => f !== folder);
  const patterns = above.map((f) => ({ regex: into(f), message: `src/${folder} may not import src/${f}: a layer imports only lower layers (${ORDER}).` }));
  // report.json carries the predict section: only its type crosses upward, never code.
  if (folder === "report") patterns.find((p) => p.regex === into("predict")).allowTypeImports = true;
  if (folder !== "cli" && folder !== "app")
    patterns.push({ regex: intoRules, message: `only src/cli and src/app import rules/: the engine is handed the registry (${ORDER}).` });
  return patterns;
}

const graphClientOnlyInGraph = { name: GRAPH_CLIENT, message: `only src/graph talks to the Graph client package (${ORDER}).` };

const layerRules = LAYERS.flat().map((folder) => ({
  files: [`src/${folder}/**/*.ts`],
  ignores: ["**/*.test.ts"],
  rules: {
    "@typescript-eslint/no-restricted-imports": ["error", { paths: folder === "graph" ? [] : [graphClientOnlyInGraph], patterns: layerPatterns(folder) }],
  },
}));

// Rules are pure functions of the pair: the rule API of the engine (never its runner), the model, the snapshot's types,
// the fix-building helpers, and each other. No I/O, no Graph, no collector, nothing above them.
const RULE_SRC_ALLOWED = [
  "engine/(define|types|missing|preconditions|fix-requests|fix-recipes|rule-ids)",
  "model/.+",
  "snapshot/(facets|graph-types|manifest)",
  "config/clouds",
  "remediate/(fix-helpers|types)",
];
const ruleLayer = {
  files: ["rules/**/*.ts"],
  ignores: ["**/*.test.ts"],
  rules: {
    "@typescript-eslint/no-restricted-imports": [
      "error",
      {
        paths: [graphClientOnlyInGraph],
        patterns: [
          {
            regex: `^(\\.\\./)+src/(?!(${RULE_SRC_ALLOWED.join("|")})\\.js$)`,
            message: `a rule imports only engine/define, types, missing, preconditions, fix-requests, fix-recipes and rule-ids (never engine/run), model/, snapshot types, config/clouds and the fix helpers (${ORDER}).`,
          },
          { regex: "^node:", message: `a rule does no I/O of its own: no node: modules (${ORDER}).` },
          { regex: "^@microsoft/", message: `a rule never talks to Graph (${ORDER}).` },
        ],
      },
    ],
  },
};

// src/errors.ts, files.ts, guid.ts and version.ts sit under every layer.
const rootFiles = {
  files: ["src/*.ts"],
  rules: {
    "@typescript-eslint/no-restricted-imports": [
      "error",
      {
        paths: [graphClientOnlyInGraph],
        patterns: [
          { regex: "^\\./[a-z-]+/", message: `src/*.ts sit under every layer and import none of them (${ORDER}).` },
          { regex: intoRules, message: `only src/cli and src/app import rules/ (${ORDER}).` },
        ],
      },
    ],
  },
};

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", "test-artifacts/", "fixtures/", "examples/", "docs/"] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // Counts and flags read naturally in messages; objects and undefined still may not be interpolated.
      "@typescript-eslint/restrict-template-expressions": ["error", { allowNumber: true, allowBoolean: true }],
      "max-lines-per-function": ["error", { max: 60, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    // Tests read Graph's JSON answers (any) and index what they just asserted exists; describe blocks are long by nature.
    files: ["test/**/*.ts", "**/*.test.ts"],
    rules: {
      "@typescript-eslint/no-non-null-assertion": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-return": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "max-lines-per-function": "off",
    },
  },
  ...layerRules,
  ruleLayer,
  rootFiles,
  { files: ["templates/**/*.js"], languageOptions: { globals: globals.browser } },
  { files: ["**/*.js"], ...tseslint.configs.disableTypeChecked },
);
