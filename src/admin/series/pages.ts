// The recurring series pages: the list (each in words, with its next starts), the form to create
// or edit one (simple choices or a raw cron expression), a series' page with its occurrences, and
// deleting one after a confirmation. All of the request's site.

import express from 'express';
import { getSeries, listOccurrences, listSeries, type SeriesRecord } from '../../maintenance/series.js';
import { WEEKDAYS } from '../../schedule/recurrence-choice.js';
import type { AdminDeps } from '../deps.js';
import { redirectWith } from '../flash.js';
import { actorOf, confirmed, formError, formFields, formLocals, isFormError, pageZone, zonePicker, type FormValues } from '../form.js';
import { requireRole } from '../guards.js';
import { siteBase, siteOf } from '../site-scope.js';
import { emptyBody, parseInput } from '../validation.js';
import { windowView } from '../windows/view.js';
import { createSeriesSchema, formToBody, updateSeriesSchema } from './input.js';
import { seriesId } from './json.js';
import type { SeriesOperations } from './operations.js';
import { NEW_SERIES_VALUES, seriesFormValues, seriesView } from './view.js';

const MONTH_DAYS = Array.from({ length: 31 }, (_, i) => String(i + 1));

function createdText(created: number): string {
  return created === 1 ? '1 occurrence is scheduled' : `${created} occurrences are scheduled`;
}

export function createSeriesPages(deps: AdminDeps, ops: SeriesOperations): express.Router {
  const { pool, now } = deps;
  const siteId = (res: express.Response) => siteOf(res).site.id;
  const pages = express.Router();

  function renderForm(res: express.Response, status: number, values: FormValues, series?: SeriesRecord, error?: { message: string; field?: string }): void {
    res.status(status).render(series ? 'admin/series/edit' : 'admin/series/new', {
      title: series ? `Edit “${series.title}”` : 'New recurring series',
      nav: '/series',
      series: series && seriesView(series, now()),
      zonePicker: zonePicker(res, values.time_zone),
      components: siteOf(res).components,
      weekdays: WEEKDAYS,
      monthDays: MONTH_DAYS,
      ...formLocals(values, error),
    });
  }

  pages.get('/series', requireRole('viewer'), async function seriesList(_req, res) {
    const at = now();
    const components = siteOf(res).components;
    res.render('admin/series/list', {
      title: 'Recurring series',
      nav: '/series',
      series: (await listSeries(pool, siteId(res))).map((series) => seriesView(series, at, components)),
    });
  });

  pages.get('/series/new', requireRole('viewer'), function newSeries(_req, res) {
    renderForm(res, 200, NEW_SERIES_VALUES);
  });

  pages.post('/series', requireRole('operator'), async function createSeries(req, res, next) {
    const values = formFields(req);
    try {
      const input = parseInput(createSeriesSchema, formToBody(values));
      const { series, created } = await ops.create(actorOf(res), siteId(res), input);
      redirectWith(res, siteBase(res), `/series/${series.id}`, { kind: 'notice', text: `Created “${series.title}”: ${createdText(created)} so far.` });
    } catch (err) {
      if (!isFormError(err)) return next(err);
      renderForm(res, err.status, values, undefined, formError(err));
    }
  });

  pages.get('/series/:id', requireRole('viewer'), async function seriesPage(req, res) {
    const id = seriesId(req.params.id);
    const zone = pageZone(req, res);
    const [series, occurrences] = await Promise.all([getSeries(pool, siteId(res), id), listOccurrences(pool, siteId(res), id)]);
    const at = now();
    const components = siteOf(res).components;
    res.render('admin/series/detail', {
      title: series.title,
      nav: '/series',
      zone,
      series: seriesView(series, at, components),
      occurrences: occurrences.map((window) => windowView(window, zone, at, components)),
    });
  });

  pages.get('/series/:id/edit', requireRole('viewer'), async function editSeries(req, res) {
    const series = await getSeries(pool, siteId(res), seriesId(req.params.id));
    renderForm(res, 200, seriesFormValues(series), series);
  });

  pages.post('/series/:id/edit', requireRole('operator'), async function saveSeries(req, res, next) {
    const id = seriesId(req.params.id);
    const series = await getSeries(pool, siteId(res), id);
    const values = formFields(req);
    try {
      const changes = parseInput(updateSeriesSchema, formToBody(values));
      const result = await ops.update(actorOf(res), siteId(res), id, changes);
      redirectWith(res, siteBase(res), `/series/${id}`, {
        kind: 'notice',
        text: `Saved “${result.series.title}”: its upcoming occurrences were regenerated (${result.removed} replaced, ${result.created} created); those edited or skipped by hand were kept.`,
      });
    } catch (err) {
      if (!isFormError(err)) return next(err);
      renderForm(res, err.status, values, series, formError(err));
    }
  });

  pages.post('/series/:id/delete', requireRole('operator'), async function deleteSeries(req, res) {
    const id = seriesId(req.params.id);
    parseInput(emptyBody, formFields(req));
    if (!confirmed(req)) {
      const series = seriesView(await getSeries(pool, siteId(res), id), now());
      return res.render('admin/confirm', {
        title: `Delete “${series.title}”?`,
        nav: '/series',
        heading: `Delete “${series.title}”?`,
        lines: [
          'Its upcoming occurrences are removed, and no new ones are made.',
          'Occurrences in force, over, or edited or skipped by hand stay, as one-off windows.',
        ],
        details: [['Repeats', `${series.description} (${series.timeZone})`], ['Duration', series.durationText]],
        action: `${siteBase(res)}/series/${id}/delete`,
        confirmLabel: 'Yes, delete',
        hidden: [],
        danger: true,
        cancelHref: `${siteBase(res)}/series/${id}`,
      });
    }
    const { series, removed } = await ops.remove(actorOf(res), siteId(res), id);
    redirectWith(res, siteBase(res), '/series', { kind: 'notice', text: `Deleted “${series.title}” and ${removed === 1 ? '1 upcoming occurrence' : `${removed} upcoming occurrences`}.` });
  });

  return pages;
}
