// The embed script. A site adds <script src="https://status.example.com/status/widget.js" async></script>
// and gets, right where the tag is, an iframe of the status widget from the script's own origin.
// Optional attributes on the tag: data-theme="dark", data-title (the frame's accessible name), and
// data-refresh-ms (how often the widget polls when its event stream fails; 1000 to 3600000).
// Plain ES2019, no build.
(function () {
  'use strict';

  var MARK = 'data-intermission-widget';

  // currentScript is set for async and defer scripts too; the search covers a tag inserted by a
  // loader that runs it from a callback, where it is null.
  function ownScript() {
    if (document.currentScript && !document.currentScript.hasAttribute(MARK)) return document.currentScript;
    var scripts = document.querySelectorAll('script[src]');
    for (var i = 0; i < scripts.length; i++) {
      if (/\/widget\.js(?:[?#]|$)/.test(scripts[i].src) && !scripts[i].hasAttribute(MARK)) return scripts[i];
    }
    return null;
  }

  var script = ownScript();
  if (!script || !script.parentNode) return;
  script.setAttribute(MARK, 'done');

  // The page is wherever this script lives: .../status/widget.js frames .../status/widget, and a
  // site's .../status/<slug>/widget.js frames .../status/<slug>/widget.
  var src = new URL(script.src, document.baseURI);
  var widget = new URL(src.pathname.replace(/widget\.js$/, 'widget'), src.origin);
  var theme = script.getAttribute('data-theme');
  if (theme === 'dark' || theme === 'light') widget.searchParams.set('theme', theme);
  var refresh = script.getAttribute('data-refresh-ms');
  if (refresh && /^\d+$/.test(refresh)) widget.searchParams.set('refresh_ms', refresh);

  var frame = document.createElement('iframe');
  frame.src = widget.href;
  frame.title = script.getAttribute('data-title') || 'Service status';
  frame.width = '240';
  frame.height = '40';
  frame.setAttribute('frameborder', '0');
  frame.setAttribute('scrolling', 'no');
  // CSSOM, not a style attribute: a strict CSP on the embedding page allows the one, not the other.
  frame.style.border = '0';
  frame.style.display = 'inline-block';
  frame.style.verticalAlign = 'middle';
  frame.style.colorScheme = 'normal';
  script.parentNode.insertBefore(frame, script.nextSibling);
})();
