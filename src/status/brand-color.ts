// The brand colour from Settings as a small stylesheet: the accent, and a text colour that stays
// readable on it (WCAG contrast), so any colour an admin picks leaves the header legible.
//
// Why a stylesheet URL rather than inline CSS: the page's CSP allows styles from 'self' only. A
// <style nonce> would not work because held pages are rendered once and served many times, and a
// hash in the CSP would have to change with every colour while the header list is computed once.
// A URL that carries the colour itself (/status/assets/brand/1a7f37.css) is a pure function of
// its path: cacheable for good, and right on every replica whatever its snapshot holds.

const HEX = /^#?([0-9a-f]{6})$/i;

export const ON_DARK = '#ffffff';
export const ON_LIGHT = '#000000';

/** "1a7f37" from "#1A7F37"; null when the value is not a #rrggbb colour. */
export function brandHex(value: string | null | undefined): string | null {
  const match = HEX.exec(value?.trim() ?? '');
  return match ? match[1]!.toLowerCase() : null;
}

function channel(hex: string, at: number): number {
  const c = parseInt(hex.slice(at, at + 2), 16) / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

/** WCAG relative luminance of an "rrggbb" colour, 0 (black) to 1 (white). */
export function luminance(hex: string): number {
  return 0.2126 * channel(hex, 0) + 0.7152 * channel(hex, 2) + 0.0722 * channel(hex, 4);
}

export function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** White or black, whichever contrasts more with the colour; one of them always reaches 4.5:1. */
export function textOn(hex: string): string {
  return contrast(hex, 'ffffff') >= contrast(hex, '000000') ? ON_DARK : ON_LIGHT;
}

/** The stylesheet for an "rrggbb" colour; null for anything else. */
export function brandStylesheet(value: string): string | null {
  const hex = brandHex(value);
  if (hex === null) return null;
  return `/* The brand colour from Settings, with the text colour readable on it. */\n:root {\n  --accent: #${hex};\n  --on-accent: ${textOn(hex)};\n}\n`;
}

/** Where the page links the stylesheet for a colour, under the status path. */
export function brandStylesheetPath(statusPath: string, hex: string): string {
  return `${statusPath}/assets/brand/${hex}.css`;
}
