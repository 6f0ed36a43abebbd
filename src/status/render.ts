// Turns a StatusView into the status page's HTML. The template is compiled once, at start-up,
// and a held request usually gets the last rendered string back, so the page costs almost nothing.

import fs from 'node:fs';
import path from 'node:path';
import ejs from 'ejs';
import { ConfigError } from '../errors.js';
import { createMemo } from './memo.js';
import type { StatusView } from './view-model.js';

export interface StatusRendererOptions {
  viewsDir: string;
  /** How many rendered pages renderCached keeps; a handful covers every window and state in force. */
  memoSize?: number;
}

export interface StatusRenderer {
  render(view: StatusView): string;
  /** The page for `key`, rendered from `build()` only when the key is not among the last few. */
  renderCached(key: string, build: () => StatusView): string;
}

/**
 * A public page's template (the status page, history, the widget), compiled once at start-up:
 * printed only through the escaping tag, its data as `view`. A missing or broken one stops start-up.
 */
export function compileView(viewsDir: string, name: string, what: string): ejs.TemplateFunction {
  const filename = path.join(viewsDir, name);
  try {
    return ejs.compile(fs.readFileSync(filename, 'utf8'), {
      filename,
      strict: true,
      localsName: 'view',
      async: false,
      // Partials (the uptime bar) are compiled once too, not at every include.
      cache: true,
    }) as ejs.TemplateFunction;
  } catch (err) {
    throw new ConfigError(`the ${what} ${filename} could not be loaded: ${(err as Error).message}`, { cause: err });
  }
}

export function createStatusRenderer(options: StatusRendererOptions): StatusRenderer {
  const memo = createMemo<string>(options.memoSize ?? 8);
  const template = compileView(options.viewsDir, 'status.ejs', 'status page template');

  function render(view: StatusView): string {
    return template(view as unknown as ejs.Data);
  }

  function renderCached(key: string, build: () => StatusView): string {
    return memo.get(key, () => render(build()));
  }

  return { render, renderCached };
}
