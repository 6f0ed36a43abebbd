// The widget page, live: follows its site's events and, while that stream is down or missing, polls
// its site's api/v2/status.json, both under data-status-path (STATUS_PATH or STATUS_PATH/<slug>).
// Plain ES2019, no build. With JS off, a meta refresh does it.
(function () {
  'use strict';

  var DEFAULT_POLL_MS = 60000;
  var SEVERITIES = ['none', 'minor', 'major', 'critical', 'maintenance'];

  var body = document.body;
  // The site's base, not STATUS_PATH itself: a widget of STATUS_PATH/<slug> hears that site.
  var statusPath = body.getAttribute('data-status-path') || '/status';
  var siteName = body.getAttribute('data-site-name') || '';
  var pollMs = Number(body.getAttribute('data-refresh-ms')) || DEFAULT_POLL_MS;
  var text = document.querySelector('[data-description]');
  var timer = null;

  function show(status) {
    if (!status || SEVERITIES.indexOf(status.indicator) === -1 || typeof status.description !== 'string') return;
    for (var i = 0; i < SEVERITIES.length; i++) body.classList.remove('sev-' + SEVERITIES[i]);
    body.classList.add('sev-' + status.indicator);
    // textContent, not innerHTML: the words come from the network.
    if (text.textContent !== status.description) text.textContent = status.description;
    document.title = siteName + ' status: ' + status.description;
  }

  function poll() {
    fetch(statusPath + '/api/v2/status.json', { headers: { accept: 'application/json' }, cache: 'no-store' })
      .then(function (res) { return res.ok ? res.json() : null; })
      .then(function (data) { if (data) show(data.status); })
      // Offline or the gateway restarting: keep what is shown and try again on the next tick.
      .catch(function () {});
  }

  function startPolling() {
    if (timer !== null) return;
    poll();
    timer = setInterval(poll, pollMs);
  }

  function stopPolling() {
    if (timer === null) return;
    clearInterval(timer);
    timer = null;
  }

  if (typeof EventSource !== 'function') {
    startPolling();
    return;
  }
  var events = new EventSource(statusPath + '/events');
  events.addEventListener('status', function (event) {
    try { show(JSON.parse(event.data)); } catch (e) { /* a malformed event changes nothing */ }
  });
  // EventSource reconnects by itself after a dropped connection, but gives up for good on a
  // non-stream answer (a 404 before the route exists); polling covers both until it is back.
  events.addEventListener('open', stopPolling);
  events.addEventListener('error', startPolling);
})();
