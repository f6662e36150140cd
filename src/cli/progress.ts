// Collection progress on stderr: a bar per paged facet on a terminal, plain periodic lines otherwise (logs, CI).
import { MultiBar, type SingleBar } from "cli-progress";
import type { FacetProgress, PageProgress } from "../collect/recorder.js";
import type { FacetId } from "../snapshot/facets.js";
import { facetLine } from "../app/lines.js";
import { forTerminal } from "./output.js";

export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface ProgressOptions {
  quiet: boolean;
  stream?: ProgressStream;
  /** Milliseconds since some origin (tests inject a clock). */
  now?: () => number;
  /** Without a terminal: a line per facet at most this often… */
  everyMs?: number;
  /** …or after this many pages, whichever comes first. */
  everyPages?: number;
}

export interface CollectProgress {
  onPage: PageProgress;
  onFacet: FacetProgress;
  /** A line above the bars (retries, warnings). */
  log(line: string): void;
  stop(): void;
}

/** What is known about one facet being paged. */
export interface FacetStats {
  fetched: number;
  pages: number;
  total?: number;
  /** Items per second since the facet's first page (undefined until a second page). */
  rate?: number;
}

interface Tracked extends FacetStats {
  firstAt: number;
  firstFetched: number;
  printedAt: number;
  printedPages: number;
  bar?: SingleBar;
}

/** "2m05s", "45s": compact enough for a bar. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, "0")}m`;
}

/** "1,200 of 5,000 items, 340/s, ETA 11s" — the total and ETA only when Graph said how many there are. */
export function progressText(stats: FacetStats): string {
  const n = (x: number) => x.toLocaleString("en-US");
  const parts = [stats.total !== undefined ? `${n(stats.fetched)} of ${n(stats.total)} items` : `${n(stats.fetched)} items`];
  if (stats.rate !== undefined) parts.push(`${n(Math.round(stats.rate))}/s`);
  if (stats.rate && stats.total !== undefined && stats.total >= stats.fetched) parts.push(`ETA ${formatDuration((stats.total - stats.fetched) / stats.rate)}`);
  return parts.join(", ");
}

/** The periodic line without a terminal. */
export function pageLine(id: FacetId, stats: FacetStats): string {
  return `  ...      ${id} ${progressText(stats)}`;
}

export function createCollectProgress(options: ProgressOptions): CollectProgress {
  if (options.quiet) return { onPage: () => undefined, onFacet: () => undefined, log: () => undefined, stop: () => undefined };
  const stream = options.stream ?? process.stderr;
  const now = options.now ?? (() => Date.now());
  const write = (line: string) => {
    stream.write(forTerminal(line) + "\n");
  };
  const tracked = new Map<FacetId, Tracked>();
  const update = tracker(tracked, now);
  return stream.isTTY ? barProgress(stream, tracked, update, write) : lineProgress(options, tracked, update, write);
}

type Update = (id: FacetId, p: Parameters<PageProgress>[1]) => Tracked;

/** Counts, rate and first-seen time per facet, updated by each page. */
function tracker(tracked: Map<FacetId, Tracked>, now: () => number): Update {
  return (id, p) => {
    const t = now();
    let s = tracked.get(id);
    if (!s) {
      s = { fetched: p.fetched, pages: p.pages, firstAt: t, firstFetched: p.fetched, printedAt: t, printedPages: p.pages };
      tracked.set(id, s);
    }
    s.fetched = p.fetched;
    s.pages = p.pages;
    if (p.total !== undefined) s.total = p.total;
    const seconds = (t - s.firstAt) / 1000;
    if (seconds > 0) s.rate = (s.fetched - s.firstFetched) / seconds;
    return s;
  };
}

/** Without a terminal: a plain line per facet every so often, and one when it is done. */
function lineProgress(options: ProgressOptions, tracked: Map<FacetId, Tracked>, update: Update, write: (line: string) => void): CollectProgress {
  const now = options.now ?? (() => Date.now());
  const everyMs = options.everyMs ?? 10_000;
  const everyPages = options.everyPages ?? 50;
  return {
    onPage: (id, p) => {
      const s = update(id, p);
      const t = now();
      if (t - s.printedAt >= everyMs || s.pages - s.printedPages >= everyPages) {
        s.printedAt = t;
        s.printedPages = s.pages;
        write(pageLine(id, s));
      }
    },
    onFacet: (id, entry) => {
      tracked.delete(id);
      write(facetLine(id, entry));
    },
    log: write,
    stop: () => {
      tracked.clear();
    },
  };
}

/** On a terminal: a bar per facet being paged, logged lines above the bars. */
function barProgress(stream: ProgressStream, tracked: Map<FacetId, Tracked>, update: Update, write: (line: string) => void): CollectProgress {
  const bars = new MultiBar({
    stream: stream as NodeJS.WritableStream,
    format: (_opts, _params, payload: { id: FacetId; stats: FacetStats }) => `  ${payload.id.padEnd(28)} ${progressText(payload.stats)}`,
    hideCursor: true,
    clearOnComplete: true,
    fps: 5,
  });
  // MultiBar prints logged lines only while it draws bars: with none on screen, lines go straight to the stream.
  const log = (line: string) => {
    if (bars.isActive) bars.log(forTerminal(line) + "\n");
    else write(line);
  };
  const stopBars = () => {
    if (!bars.isActive) return;
    bars.update(); // flushes the logged lines
    bars.stop();
  };
  return {
    onPage: (id, p) => {
      const s = update(id, p);
      const payload = {
        id,
        stats: { fetched: s.fetched, pages: s.pages, ...(s.total !== undefined ? { total: s.total } : {}), ...(s.rate !== undefined ? { rate: s.rate } : {}) },
      };
      if (!s.bar) s.bar = bars.create(s.total ?? 0, s.fetched, payload);
      else s.bar.update(s.fetched, payload);
    },
    onFacet: (id, entry) => {
      const s = tracked.get(id);
      tracked.delete(id);
      if (s?.bar) {
        bars.remove(s.bar);
        if (![...tracked.values()].some((t) => t.bar)) stopBars();
      }
      log(facetLine(id, entry));
    },
    log,
    stop: () => {
      stopBars();
      tracked.clear();
    },
  };
}
