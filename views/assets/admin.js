// The admin area's only script: tells the server the browser's time zone (used until the user
// picks one), and fills time-zone pickers that have no choice yet. Everything works without it.
(function () {
  'use strict';
  var zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (e) {
    return;
  }
  if (!zone) return;
  var path = document.querySelector('link[rel=stylesheet]').getAttribute('href').replace(/\/assets\/admin\.css$/, '');
  if (document.cookie.indexOf('intermission_tz=' + encodeURIComponent(zone)) === -1) {
    document.cookie = 'intermission_tz=' + encodeURIComponent(zone) + '; path=' + path + '; max-age=31536000; samesite=lax';
  }
  var pickers = document.querySelectorAll('select[data-browser-zone]');
  for (var i = 0; i < pickers.length; i++) {
    if (pickers[i].getAttribute('data-browser-zone') === 'unset') pickers[i].value = zone;
  }
})();
