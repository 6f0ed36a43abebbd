// The brand colour's stylesheet: only #rrggbb gets through, and the text on it stays readable.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { brandHex, brandStylesheet, contrast, ON_DARK, ON_LIGHT, textOn } from '../../src/status/brand-color.js';

test('only a six-digit hex colour is accepted, in any case, with or without #', () => {
  assert.equal(brandHex('#1A7F37'), '1a7f37');
  assert.equal(brandHex('1a7f37'), '1a7f37');
  for (const bad of [null, undefined, '', '#fff', '#12345g', 'red', '#1a7f37x', '#1a7f37;}body{display:none}']) {
    assert.equal(brandHex(bad), null, String(bad));
  }
  assert.equal(brandStylesheet('1a7f37;}'), null);
});

test('dark brand colours get white text and light ones black', () => {
  assert.equal(textOn('0a2540'), ON_DARK);
  assert.equal(textOn('c11b28'), ON_DARK);
  assert.equal(textOn('ffd33d'), ON_LIGHT);
  assert.equal(textOn('f6f8fa'), ON_LIGHT);
  assert.equal(textOn('00d084'), ON_LIGHT);
});

test('the text colour picked reaches WCAG AA (4.5:1) on every colour', () => {
  // Every 17th step per channel: 4,096 colours across the whole cube, corners included.
  for (let r = 0; r <= 255; r += 17) {
    for (let g = 0; g <= 255; g += 17) {
      for (let b = 0; b <= 255; b += 17) {
        const hex = [r, g, b].map((c) => c.toString(16).padStart(2, '0')).join('');
        const text = textOn(hex).slice(1);
        assert.ok(contrast(hex, text) >= 4.5, `#${hex} with ${text}: ${contrast(hex, text).toFixed(2)}`);
      }
    }
  }
});

test('the stylesheet sets the accent and the text colour on it, and nothing else', () => {
  const css = brandStylesheet('#0A2540');
  assert.equal(css?.replace(/\/\*.*?\*\/\n/, ''), ':root {\n  --accent: #0a2540;\n  --on-accent: #ffffff;\n}\n');
});
