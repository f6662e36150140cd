// Lint settings: typescript-eslint's strict type-checked rules for all our TypeScript, plus the layer order of ARCHITECTURE.md.
import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

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
  { files: ["templates/**/*.js"], languageOptions: { globals: globals.browser } },
  { files: ["**/*.js"], ...tseslint.configs.disableTypeChecked },
);
