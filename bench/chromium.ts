// Headless Debian Chromium for the browser tests and the report bench: fixed flags, a fresh profile, no downloads.
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium, type BrowserContext } from "playwright-core";

/** Debian's chromium package (CI installs it with apt-get); playwright-core never downloads a browser here. */
export const CHROMIUM_PATH = "/usr/bin/chromium";

// No sandbox because CI runs as root in a container; the rest keeps the browser from calling home during a test.
export const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Launch Chromium with a fresh user-data-dir; throws with the install command when the browser is missing. */
export async function launchChromium(options: { colorScheme?: "light" | "dark" } = {}): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`${CHROMIUM_PATH} not found: install Debian's chromium (apt-get install -y chromium); .ci/run does this in CI`);
  }
  const profile = await mkdtemp(path.join(tmpdir(), "cts-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: 1280, height: 900 },
    colorScheme: options.colorScheme ?? "light",
    acceptDownloads: false,
  });
  return {
    context,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
