// What every admin form shares: the fields of a posted form, the confirmation switch, who is
// acting, the time-zone picker, and re-rendering a form with its error and what was typed.

import type express from 'express';
import type { Actor } from '../accounts/roles.js';
import { ConflictError, GatewayError, ValidationError } from '../errors.js';
import { locals } from './session.js';
import { isTimeZone, TIME_ZONE_COOKIE, timeZones } from './time-zone.js';

export type FormValues = Record<string, string | string[] | undefined>;

/** The posted fields the schemas read: the CSRF token and the page's own controls left out. */
export function formFields(req: express.Request): FormValues {
  const { _csrf, confirm, back, ...fields } = (req.body ?? {}) as FormValues;
  return fields;
}

/** A destructive post is answered first with a confirmation page; posted again with confirm=yes, it acts. */
export function confirmed(req: express.Request): boolean {
  return (req.body as FormValues | undefined)?.confirm === 'yes';
}

export function actorOf(res: express.Response): Actor {
  // requireRole ran before every handler here, so there is an actor.
  return locals(res).actor!;
}

export interface ZonePicker {
  zone: string;
  zones: string[];
  /** No saved zone and no browser cookie yet: admin.js picks the browser's. */
  unset: boolean;
}

/** The zone to show times in: ?zone= when it names one (set after saving in another zone), else the SRE's. */
export function pageZone(req: express.Request, res: express.Response): string {
  const asked = req.query.zone;
  return isTimeZone(asked) ? asked : locals(res).timeZone;
}

export function zonePicker(res: express.Response, chosen?: unknown): ZonePicker {
  const state = locals(res);
  const zone = isTimeZone(chosen) ? chosen : state.timeZone;
  const known = ['UTC', ...timeZones()];
  return {
    zone,
    zones: known.includes(zone) ? known : [zone, ...known],
    unset: !isTimeZone(chosen) && !state.session?.user.timeZone && !isTimeZone(state.cookies[TIME_ZONE_COOKIE]),
  };
}

/** The query to add after saving in a zone other than the SRE's, so times read back as typed. */
export function zoneQuery(res: express.Response, zone: unknown): string {
  return isTimeZone(zone) && zone !== locals(res).timeZone ? `?zone=${encodeURIComponent(zone)}` : '';
}

/** Errors a person can fix by changing the form: shown on the form again, with what they typed. */
export function isFormError(err: unknown): err is GatewayError {
  return err instanceof ValidationError || err instanceof ConflictError;
}

/** For templates: marks the input the error is about, so screen readers announce it with the message. */
export function invalidMarker(field: string | undefined): (name: string) => string {
  return (name) => (field === name ? ' aria-invalid="true" aria-describedby="form-error"' : '');
}

/** Values as a form re-renders them: a single value as text, several as a list. */
export function valueOf(values: FormValues) {
  return {
    text: (name: string): string => {
      const value = values[name];
      return Array.isArray(value) ? value.join('\n') : (value ?? '');
    },
    has: (name: string, option: string): boolean => {
      const value = values[name];
      return Array.isArray(value) ? value.includes(option) : value === option;
    },
  };
}

/** What a form page needs to show a fixable error next to the field it is about. */
export function formError(err: GatewayError): { message: string; field?: string } {
  return { message: err.message, field: err instanceof ValidationError ? err.field : undefined };
}

/** The locals of a form page: typed values, the error and its field. */
export function formLocals(values: FormValues, error?: { message: string; field?: string }) {
  return { values: valueOf(values), error: error?.message, invalid: invalidMarker(error?.field) };
}
