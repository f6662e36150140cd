// After tsc: make the bin entry executable so `npx cts-doctor` works straight after `npm ci`.
import { chmodSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

chmodSync(path.join(path.dirname(fileURLToPath(import.meta.url)), "main.js"), 0o755);
