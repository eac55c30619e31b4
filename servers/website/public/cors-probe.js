// The CORS probe: runs one request described as JSON and reports what the page could read.
//   request = { client: 'xhr'|'fetch', url, method, headers: {name: value}, credentials:
//               'include'|'omit', body?, readHeaders: [names], sandboxed?: boolean }
//   result  = { readable, status, body, headers: {name: value|null}, headerNames, error, origin }
// On probe.html it renders the result into #probe-result. With `sandboxed`, the request runs
// in an <iframe sandbox="allow-scripts" srcdoc> (an opaque origin, so `Origin: null`) and the
// frame posts its result back.
(function () {
  'use strict';

  function lower(names) { return names.map(function (n) { return n.toLowerCase(); }); }

  function viaXhr(request) {
    return new Promise(function (resolve) {
      var xhr = new XMLHttpRequest();
      xhr.open(request.method, request.url, true);
      xhr.withCredentials = request.credentials === 'include';
      Object.keys(request.headers || {}).forEach(function (name) { xhr.setRequestHeader(name, request.headers[name]); });
      xhr.onload = function () {
        var headers = {};
        request.readHeaders.forEach(function (name) { headers[name] = xhr.getResponseHeader(name); });
        var names = xhr.getAllResponseHeaders().trim().split(/\r?\n/).filter(Boolean).map(function (line) {
          return line.slice(0, line.indexOf(':')).trim().toLowerCase();
        });
        resolve({ readable: true, status: xhr.status, body: xhr.responseText, headers: headers, headerNames: names, error: null });
      };
      // A CORS failure is a network error to the page: status 0 and no details.
      xhr.onerror = function () {
        resolve({ readable: false, status: xhr.status, body: null, headers: {}, headerNames: [], error: 'XMLHttpRequest error event' });
      };
      xhr.send(request.body === undefined ? null : request.body);
    });
  }

  function viaFetch(request) {
    var init = { method: request.method, headers: request.headers || {}, credentials: request.credentials, mode: 'cors' };
    if (request.body !== undefined) init.body = request.body;
    return window.fetch(request.url, init).then(function (response) {
      return response.text().then(function (text) {
        var headers = {};
        request.readHeaders.forEach(function (name) { headers[name] = response.headers.get(name); });
        var names = [];
        response.headers.forEach(function (_value, name) { names.push(name.toLowerCase()); });
        return { readable: true, status: response.status, body: text, headers: headers, headerNames: names, error: null };
      });
    }, function (error) {
      return { readable: false, status: 0, body: null, headers: {}, headerNames: [], error: String(error) };
    });
  }

  function runHere(request) {
    var run = request.client === 'fetch' ? viaFetch : viaXhr;
    return run(request).then(function (result) {
      result.headerNames = lower(result.headerNames).sort();
      result.origin = String(window.origin);
      return result;
    });
  }

  // Inside the sandboxed frame: run what the parent embedded, post the result back.
  if (window.__corsProbeRequest) {
    runHere(window.__corsProbeRequest).then(function (result) {
      window.parent.postMessage({ corsProbeResult: result }, '*');
    });
    return;
  }

  function runSandboxed(request) {
    return new Promise(function (resolve) {
      var frame = document.createElement('iframe');
      frame.setAttribute('sandbox', 'allow-scripts');
      frame.className = 'probe-frame';
      var inner = Object.assign({}, request, { sandboxed: false });
      // '<' escaped so that no value can close the script element early.
      var json = JSON.stringify(inner).replace(/</g, '\\u003c');
      frame.srcdoc = '<!doctype html><script>window.__corsProbeRequest = ' + json + ';</script>' +
        '<script src="' + new URL('/cors-probe.js', window.location.href).href + '"></script>';
      window.addEventListener('message', function onMessage(event) {
        if (event.source !== frame.contentWindow || !event.data || !event.data.corsProbeResult) return;
        window.removeEventListener('message', onMessage);
        resolve(event.data.corsProbeResult);
      });
      document.body.appendChild(frame);
    });
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) { node.setAttribute(name, attrs[name]); });
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  var runs = 0;

  function render(request, result, run) {
    var box = document.getElementById('probe-result');
    box.textContent = '';
    var outcome = result.readable ? 'readable' : 'blocked';
    box.appendChild(el('p', { 'class': 'probe-summary' },
      request.method + ' ' + request.url + ' from ' + result.origin + ': ' +
      (result.readable ? 'readable, status ' + result.status : 'blocked (the page sees status ' + result.status + ')')));
    if (result.readable) {
      box.appendChild(el('pre', { 'class': 'probe-body' }, result.body));
      var list = el('dl', { 'class': 'probe-headers' });
      request.readHeaders.forEach(function (name) {
        list.appendChild(el('dt', {}, name));
        var value = result.headers[name];
        list.appendChild(el('dd', { 'data-header': name.toLowerCase(), 'data-readable': String(value !== null) },
          value === null ? '(not readable)' : value));
      });
      box.appendChild(list);
    } else {
      box.appendChild(el('p', { 'class': 'probe-error', role: 'alert' }, result.error));
    }
    box.setAttribute('data-outcome', outcome);
    box.setAttribute('data-status', String(result.status));
    box.setAttribute('data-run', String(run));
    box.setAttribute('data-state', 'done');
    document.getElementById('probe-history').appendChild(
      el('li', { 'data-outcome': outcome }, request.method + ' ' + request.url + ': ' + outcome + ' ' + result.status));
  }

  window.corsProbe = {
    /** Runs `request`, shows the outcome, resolves with the result (and its run number). */
    run: function (request) {
      runs += 1;
      var run = runs;
      var box = document.getElementById('probe-result');
      box.setAttribute('data-state', 'running');
      box.setAttribute('data-run', String(run));
      return (request.sandboxed ? runSandboxed(request) : runHere(request)).then(function (result) {
        render(request, result, run);
        result.run = run;
        return result;
      });
    }
  };
  var origin = document.getElementById('site-origin');
  if (origin) origin.textContent = window.location.origin;
})();
