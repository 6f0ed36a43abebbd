// The status page, live: times in the reader's zone, a countdown to the expected end, changes
// pushed over Server-Sent Events (polling when they are unavailable), and a check that takes the
// reader back to their page once it is served again. Plain ES2019, no build.
(function () {
  'use strict';

  var HELD = [502, 503, 504];
  var HELD_POLL_MS = 15000;
  var STATUS_POLL_MS = 30000;
  // Pages fetch themselves after an event; spread over this, so a crowd of readers does not arrive at once.
  var EVENT_SPREAD_MS = 400;

  var body = document.body;
  var pageKind = body.getAttribute('data-state');
  // STATUS_PATH, which no return path may point into; and this page's own base (STATUS_PATH or
  // STATUS_PATH/<slug>), whose event stream tells of this page's site.
  var statusPath = body.getAttribute('data-status-path') || '/status';
  var base = body.getAttribute('data-base') || statusPath;
  var returnTo = pageKind === 'status' ? safeReturnPath(new URLSearchParams(location.search).get('return_to')) : null;
  var readOnly = body.getAttribute('data-read-only') === 'true';
  var lastMain = null;
  var endTriggeredFor = null;
  var busy = false;
  // The event stream, and what to run when it says something changed.
  var stream = null;
  var listeners = [];

  var localTime = new Intl.DateTimeFormat(undefined, {
    year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short',
  });

  // Only a path on this origin: "//host" and "/\host" are other sites to a browser, and a tab or
  // newline inside "/\t/host" is dropped by the URL parser, which turns it into "//host".
  function safeReturnPath(value) {
    if (!value || value.charAt(0) !== '/' || value.charAt(1) === '/' || value.charAt(1) === '\\') return null;
    if (/[\u0000-\u001f\u007f]/.test(value)) return null;
    var url;
    try { url = new URL(value, location.origin); } catch (e) { return null; }
    if (url.origin !== location.origin) return null;
    if (url.pathname === statusPath || url.pathname.indexOf(statusPath + '/') === 0) return null;
    return url.pathname + url.search + url.hash;
  }

  function localize(root) {
    var times = root.querySelectorAll('time[data-local]');
    for (var i = 0; i < times.length; i++) {
      var date = new Date(times[i].getAttribute('datetime'));
      if (isNaN(date.getTime())) continue;
      times[i].title = times[i].textContent.trim();
      times[i].textContent = localTime.format(date);
    }
  }

  function two(n) { return n < 10 ? '0' + n : String(n); }

  function remaining(ms) {
    if (ms <= 0) return 'any moment now';
    var s = Math.ceil(ms / 1000);
    var d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60);
    s = s % 60;
    if (d > 0) return 'in ' + d + ' d ' + h + ' h';
    if (h > 0) return 'in ' + h + ' h ' + two(m) + ' min ' + two(s) + ' s';
    if (m > 0) return 'in ' + m + ' min ' + two(s) + ' s';
    return 'in ' + s + ' s';
  }

  function tick() {
    var now = Date.now();
    var counters = document.querySelectorAll('[data-countdown][data-ends-at]');
    for (var i = 0; i < counters.length; i++) {
      var end = Number(counters[i].getAttribute('data-ends-at'));
      if (end > 0) counters[i].textContent = remaining(end - now);
    }
    // An open stream would have brought any change: what the page shows is current as of now.
    if (streaming()) markChecked();
    var pageEnd = Number(body.getAttribute('data-ends-at'));
    if (pageEnd > 0 && now >= pageEnd && endTriggeredFor !== pageEnd && !readOnly) {
      endTriggeredFor = pageEnd;
      check();
    }
  }

  function leave() {
    if (returnTo) location.assign(returnTo);
    else location.reload();
  }

  function fetchPage(url) {
    return fetch(url, { headers: { Accept: 'text/html' }, cache: 'no-store', credentials: 'same-origin' });
  }

  // Put the fresh page's content in place without a reload; skipped when nothing changed, so
  // keyboard focus and the reader's place are not disturbed every poll.
  function swapIn(html) {
    var doc = new DOMParser().parseFromString(html, 'text/html');
    var fresh = doc.querySelector('main');
    var main = document.querySelector('main');
    if (!fresh || !main) return;
    body.setAttribute('data-ends-at', doc.body.getAttribute('data-ends-at') || '');
    if (fresh.innerHTML === lastMain) return;
    var hadFocus = main.contains(document.activeElement);
    lastMain = fresh.innerHTML;
    main.replaceWith(document.adoptNode(fresh));
    document.title = doc.title;
    body.className = doc.body.className;
    localize(fresh);
    tick();
    if (hadFocus) fresh.focus();
  }

  function markChecked() {
    var checked = document.querySelector('[data-checked]');
    if (!checked) return;
    var now = new Date();
    var text = localTime.format(now);
    if (checked.textContent === text) return;
    checked.setAttribute('datetime', now.toISOString());
    checked.textContent = text;
  }

  // Is the page the reader asked for served again? On a held page that is this very URL.
  function check() {
    if (busy) return;
    busy = true;
    fetchPage(location.href)
      .then(function (res) {
        if (pageKind !== 'status' && HELD.indexOf(res.status) === -1) return leave();
        return res.text().then(function (html) { swapIn(html); markChecked(); });
      })
      .catch(function () { /* offline or gateway restarting: try again next time */ })
      .then(function () { busy = false; });
  }

  // Redirect mode: the reader waits here; their page is back once it is no longer held and no
  // longer redirected to the status page.
  function checkReturn() {
    fetchPage(returnTo)
      .then(function (res) {
        var landed = new URL(res.url || location.href).pathname;
        var held = HELD.indexOf(res.status) !== -1 || landed === statusPath || landed.indexOf(statusPath + '/') === 0;
        if (!held) leave();
      })
      .catch(function () {});
  }

  // Changes arrive over one stream for the whole page. It starts from the id of what the page
  // shows, so the gateway sends an event only when there is something newer; after a drop the
  // browser reconnects with Last-Event-ID by itself.
  function subscribe() {
    if (!window.EventSource) return;
    var liveId = body.getAttribute('data-live-id');
    stream = new EventSource(base + '/events' + (liveId ? '?lastEventId=' + encodeURIComponent(liveId) : ''));
    stream.addEventListener('status', function () {
      setTimeout(function () {
        for (var i = 0; i < listeners.length; i++) listeners[i]();
      }, Math.random() * EVENT_SPREAD_MS);
    });
  }

  function streaming() { return stream !== null && stream.readyState === 1; }

  // The one place that decides when to look again: on each event, and by polling while no stream
  // is open (no EventSource, a proxy that refuses streams, or a gateway at its limit).
  function watch(onChange, everyMs) {
    listeners.push(onChange);
    if (stream === null) subscribe();
    setInterval(function () { if (!streaming()) onChange(); }, everyMs);
    document.addEventListener('visibilitychange', function () {
      if (document.visibilityState === 'visible') onChange();
    });
  }

  function showReturnLink() {
    var box = document.querySelector('[data-return]');
    var link = document.querySelector('[data-return-link]');
    if (!returnTo || !box || !link) return;
    link.setAttribute('href', returnTo);
    box.hidden = false;
  }

  function showLive() {
    var checked = document.querySelector('[data-checked]');
    if (!checked || !checked.parentNode) return;
    var dot = document.createElement('span');
    dot.className = 'live-dot';
    dot.setAttribute('aria-hidden', 'true');
    checked.parentNode.insertBefore(dot, checked.parentNode.firstChild);
  }

  var main = document.querySelector('main');
  if (main) lastMain = main.innerHTML;
  localize(document);
  showReturnLink();
  showLive();
  tick();
  setInterval(tick, 1000);
  // A read-only window holds only writes: a GET of this URL succeeds while it lasts, so it cannot
  // tell when the window is over, and reloading would send the write again.
  if (!readOnly) watch(check, pageKind === 'status' ? STATUS_POLL_MS : HELD_POLL_MS);
  if (returnTo) watch(checkReturn, HELD_POLL_MS);
})();
