// The CORS probe: runs one request described as JSON and reports what the page could read.
//   request = { client: 'xhr'|'sync-xhr'|'fetch', url, method, headers: {name: value},
//               credentials: 'include'|'omit', body?, readHeaders: [names],
//               context?: 'page'|'sandboxed'|'data-iframe'|'worker', mode?: fetch's mode,
//               user?, password? (XHR's open), uploadListener?: boolean (XHR),
//               cache?: fetch's cache mode }
//   result  = { readable, opaque, status, body, headers: {name: value|null}, headerNames, error,
//               origin, responseUrl }
// On probe.html it renders the result into #probe-result. With context `sandboxed` or
// `data-iframe` the request runs in an <iframe sandbox="allow-scripts" srcdoc> or a data: URL
// frame (opaque origins, so `Origin: null`); with `worker` in a dedicated worker. Each posts its
// result back.
(function () {
  'use strict';
  var scope = typeof window === 'undefined' ? self : window;

  function lower(names) { return names.map(function (n) { return n.toLowerCase(); }); }

  function viaXhr(request) {
    return new Promise(function (resolve) {
      var xhr = new XMLHttpRequest();
      var async = request.client !== 'sync-xhr';
      if (request.user !== undefined) xhr.open(request.method, request.url, async, request.user, request.password);
      else xhr.open(request.method, request.url, async);
      xhr.withCredentials = request.credentials === 'include';
      Object.keys(request.headers || {}).forEach(function (name) { xhr.setRequestHeader(name, request.headers[name]); });
      // A listener on the upload object makes the request preflighted (XHR standard).
      if (request.uploadListener) xhr.upload.onprogress = function () {};
      var loaded = function () {
        var headers = {};
        request.readHeaders.forEach(function (name) { headers[name] = xhr.getResponseHeader(name); });
        var names = xhr.getAllResponseHeaders().trim().split(/\r?\n/).filter(Boolean).map(function (line) {
          return line.slice(0, line.indexOf(':')).trim().toLowerCase();
        });
        resolve({ readable: true, opaque: false, status: xhr.status, body: xhr.responseText, headers: headers, headerNames: names, error: null, responseUrl: xhr.responseURL });
      };
      // A CORS failure is a network error to the page: status 0 and no details.
      var failed = function (error) {
        resolve({ readable: false, opaque: false, status: xhr.status, body: null, headers: {}, headerNames: [], error: error, responseUrl: '' });
      };
      if (async) {
        xhr.onload = loaded;
        xhr.onerror = function () { failed('XMLHttpRequest error event'); };
      }
      try {
        xhr.send(request.body === undefined ? null : request.body);
      } catch (error) {
        failed(String(error));
        return;
      }
      if (!async) loaded();
    });
  }

  function viaFetch(request) {
    var init = { method: request.method, headers: request.headers || {}, credentials: request.credentials, mode: request.mode || 'cors' };
    if (request.body !== undefined) init.body = request.body;
    if (request.cache !== undefined) init.cache = request.cache;
    return scope.fetch(request.url, init).then(function (response) {
      // no-cors: an opaque response, nothing of it readable (status 0), and no error either.
      if (response.type === 'opaque') {
        return { readable: false, opaque: true, status: response.status, body: null, headers: {}, headerNames: [], error: null, responseUrl: response.url };
      }
      return response.text().then(function (text) {
        var headers = {};
        request.readHeaders.forEach(function (name) { headers[name] = response.headers.get(name); });
        var names = [];
        response.headers.forEach(function (_value, name) { names.push(name.toLowerCase()); });
        return { readable: true, opaque: false, status: response.status, body: text, headers: headers, headerNames: names, error: null, responseUrl: response.url };
      });
    }, function (error) {
      return { readable: false, opaque: false, status: 0, body: null, headers: {}, headerNames: [], error: String(error), responseUrl: '' };
    });
  }

  function runHere(request) {
    var run = request.client === 'fetch' ? viaFetch : viaXhr;
    return run(request).then(function (result) {
      result.headerNames = lower(result.headerNames).sort();
      result.origin = String(scope.origin);
      return result;
    });
  }

  // In a worker: run each request the page posts, post the result back.
  if (typeof window === 'undefined') {
    self.onmessage = function (event) {
      runHere(event.data).then(function (result) { self.postMessage({ corsProbeResult: result }); });
    };
    return;
  }

  // Inside a frame: run what the parent embedded, post the result back.
  if (window.__corsProbeRequest) {
    runHere(window.__corsProbeRequest).then(function (result) {
      window.parent.postMessage({ corsProbeResult: result }, '*');
    });
    return;
  }

  var probeScript = new URL('/cors-probe.js', window.location.href).href;

  function inFrame(request) {
    return new Promise(function (resolve) {
      var frame = document.createElement('iframe');
      frame.className = 'probe-frame';
      var inner = Object.assign({}, request, { context: 'page' });
      // '<' escaped so that no value can close the script element early.
      var json = JSON.stringify(inner).replace(/</g, '\\u003c');
      var html = '<!doctype html><script>window.__corsProbeRequest = ' + json + ';</script>' +
        '<script src="' + probeScript + '"></script>';
      if (request.context === 'sandboxed') {
        frame.setAttribute('sandbox', 'allow-scripts');
        frame.srcdoc = html;
      } else {
        frame.src = 'data:text/html;charset=utf-8,' + encodeURIComponent(html);
      }
      window.addEventListener('message', function onMessage(event) {
        if (event.source !== frame.contentWindow || !event.data || !event.data.corsProbeResult) return;
        window.removeEventListener('message', onMessage);
        resolve(event.data.corsProbeResult);
      });
      document.body.appendChild(frame);
    });
  }

  function inWorker(request) {
    return new Promise(function (resolve) {
      var worker = new Worker(probeScript);
      worker.onmessage = function (event) {
        worker.terminate();
        resolve(event.data.corsProbeResult);
      };
      worker.postMessage(Object.assign({}, request, { context: 'page' }));
    });
  }

  function runIn(request) {
    if (request.context === 'sandboxed' || request.context === 'data-iframe') return inFrame(request);
    if (request.context === 'worker') return inWorker(request);
    return runHere(request);
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
    var outcome = result.readable ? 'readable' : result.opaque ? 'opaque' : 'blocked';
    box.appendChild(el('p', { 'class': 'probe-summary' },
      request.method + ' ' + request.url + ' from ' + result.origin + ': ' +
      (result.readable ? 'readable, status ' + result.status
        : result.opaque ? 'opaque (no-cors: nothing readable)' : 'blocked (the page sees status ' + result.status + ')')));
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
    } else if (!result.opaque) {
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
      return runIn(request).then(function (result) {
        render(request, result, run);
        result.run = run;
        return result;
      });
    }
  };
  var origin = document.getElementById('site-origin');
  if (origin) origin.textContent = window.location.origin;
})();
