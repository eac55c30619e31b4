// The seed's CORS test tool: call {org}/api/v1/users/me with the session cookie using one of
// three clients, then show the profile panel or the error the seed's samples show.
(function () {
  'use strict';

  var result = document.getElementById('cors-test-result');
  var form = document.getElementById('cors-test-form');
  var orgInput = document.getElementById('input-orgUrl');
  var clientInput = document.getElementById('input-client');
  document.getElementById('site-origin').textContent = window.location.origin;

  var PROFILE_FIELDS = [
    ['id', 'ID', function (u) { return u.id; }],
    ['status', 'Status', function (u) { return u.status; }],
    ['login', 'Login', function (u) { return u.profile.login; }],
    ['email', 'Email', function (u) { return u.profile.email; }],
    ['firstName', 'First Name', function (u) { return u.profile.firstName; }],
    ['lastName', 'Last Name', function (u) { return u.profile.lastName; }],
    ['mobilePhone', 'Mobile Phone', function (u) { return u.profile.mobilePhone; }],
    ['created', 'Created', function (u) { return u.created; }],
    ['lastUpdated', 'Updated', function (u) { return u.lastUpdated; }],
    ['lastLogin', 'Last Login', function (u) { return u.lastLogin; }]
  ];

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) { node.setAttribute(name, attrs[name]); });
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function showProfile(user) {
    var panel = el('div', { 'class': 'panel-profile', id: 'profile' });
    panel.appendChild(el('h2', {}, 'Profile'));
    var list = el('dl');
    PROFILE_FIELDS.forEach(function (field) {
      list.appendChild(el('dt', {}, field[1]));
      list.appendChild(el('dd', { 'data-field': field[0] }, field[2](user)));
    });
    panel.appendChild(list);
    finish('profile', panel);
  }

  // The seed's jQuery sample: a 403 is Okta telling us the session is missing; anything else
  // that fails is a blocked (or wrong) URL.
  function showFailure(status, body) {
    var title, message;
    if (status === 403 && body && typeof body.errorSummary === 'string') {
      title = body.errorSummary;
      message = 'Please login to your Okta organization before running the test';
    } else {
      title = 'Invalid URL or Cross-Origin Request Blocked';
      message = 'You must explicitly add this site (' + window.location.origin +
        ') to the list of allowed websites in your Okta Admin Dashboard';
    }
    var box = el('div', { 'class': 'cors-error', id: 'cors-error', role: 'alert' });
    box.appendChild(el('strong', { 'class': 'cors-error-title' }, title));
    box.appendChild(document.createTextNode(': '));
    box.appendChild(el('span', { 'class': 'cors-error-message' }, message));
    finish('error', box);
  }

  function finish(outcome, node) {
    result.textContent = '';
    result.appendChild(node);
    result.setAttribute('data-outcome', outcome);
    result.setAttribute('data-state', 'done');
  }

  function parseJson(text) {
    try { return JSON.parse(text); } catch (e) { return undefined; }
  }

  var clients = {
    xhr: function (url) {
      var xhr = new XMLHttpRequest();
      xhr.onerror = function () { showFailure(0); };
      xhr.onload = function () {
        var body = parseJson(this.responseText);
        if (this.status === 200 && body) showProfile(body); else showFailure(this.status, body);
      };
      xhr.open('GET', url, true);
      xhr.withCredentials = true;
      xhr.setRequestHeader('Accept', 'application/json');
      xhr.send();
    },
    jquery: function (url) {
      window.jQuery.ajax({
        url: url,
        type: 'GET',
        xhrFields: { withCredentials: true },
        accepts: { json: 'application/json' },
        dataType: 'json'
      }).done(function (data) { showProfile(data); })
        .fail(function (xhr) { showFailure(xhr.status, xhr.responseJSON); });
    },
    fetch: function (url) {
      window.fetch(url, { credentials: 'include', headers: { Accept: 'application/json' } })
        .then(function (response) {
          return response.text().then(function (text) {
            var body = parseJson(text);
            if (response.status === 200 && body) showProfile(body); else showFailure(response.status, body);
          });
        })
        .catch(function () { showFailure(0); });
    }
  };

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var base = orgInput.value.trim().replace(/\/+$/, '');
    if (!/^https?:\/\//.test(base)) base = 'https://' + base;
    result.textContent = 'Testing…';
    result.removeAttribute('data-outcome');
    result.setAttribute('data-state', 'running');
    try {
      clients[clientInput.value](base + '/api/v1/users/me');
    } catch (e) {
      showFailure(0);
    }
  });

  // ?org=…&client=… pre-fill the form, so a link can carry a whole test set-up.
  var params = new URLSearchParams(window.location.search);
  if (params.get('org')) orgInput.value = params.get('org');
  if (params.get('client') && clients[params.get('client')]) clientInput.value = params.get('client');
})();
