// The SDK page: each button runs one okta-auth-js call and adds what it returned (or threw)
// to the results list, as <li data-step data-outcome data-result>. Settings live in
// localStorage so they survive the redirect flows.
(function () {
  'use strict';
  var CONFIG_KEY = 'sdk-page-config';
  var PENDING_KEY = 'sdk-page-pending';
  var SCOPES = ['openid', 'profile', 'email', 'offline_access'];
  var params = new URLSearchParams(location.search);
  var onCallback = location.pathname === '/login/callback';
  var sessionToken = null;
  var revokedTokens = null;

  var byId = function (id) { return document.getElementById(id); };
  var fields = ['issuer', 'clientId', 'redirectUri', 'username', 'password'];

  function readConfig() {
    var saved = {};
    try { saved = JSON.parse(localStorage.getItem(CONFIG_KEY) || '{}'); } catch (e) { saved = {}; }
    var org = params.get('org');
    return {
      issuer: org ? org.replace(/\/$/, '') + '/oauth2/default' : (saved.issuer || ''),
      clientId: params.get('clientId') || saved.clientId || '',
      redirectUri: params.get('redirectUri') || saved.redirectUri || location.origin + '/login/callback',
    };
  }

  function saveConfig() {
    localStorage.setItem(CONFIG_KEY, JSON.stringify({
      issuer: byId('input-issuer').value, clientId: byId('input-clientId').value, redirectUri: byId('input-redirectUri').value,
    }));
  }

  function client() {
    return new OktaAuth({
      issuer: byId('input-issuer').value,
      clientId: byId('input-clientId').value,
      redirectUri: byId('input-redirectUri').value,
      postLogoutRedirectUri: location.origin + '/sdk.html',
      scopes: SCOPES,
      pkce: true,
      tokenManager: { autoRenew: false, autoRemove: false },
    });
  }

  // What a person (and the page object) needs from an SDK error: its kind and Okta's words.
  function describeError(error) {
    return {
      name: error && error.name || 'Error',
      errorCode: error && error.errorCode || null,
      errorSummary: error && (error.errorSummary || error.message) || String(error),
      status: error && error.xhr && typeof error.xhr.status === 'number' ? error.xhr.status : null,
    };
  }

  function show(step, outcome, value) {
    var item = document.createElement('li');
    item.dataset.step = step;
    item.dataset.outcome = outcome;
    item.dataset.result = JSON.stringify(value === undefined ? null : value);
    var title = document.createElement('strong');
    title.textContent = step + (outcome === 'ok' ? ': ok' : ': error');
    var body = document.createElement('pre');
    body.textContent = JSON.stringify(value, null, 2);
    item.append(title, body);
    byId('sdk-results').append(item);
  }

  function summary(tokens) {
    var out = {};
    if (tokens.accessToken) out.accessToken = { scopes: tokens.accessToken.scopes, expiresAt: tokens.accessToken.expiresAt, claims: tokens.accessToken.claims };
    if (tokens.idToken) out.idToken = { claims: tokens.idToken.claims };
    out.refreshToken = Boolean(tokens.refreshToken);
    return out;
  }

  function sessionSummary(session) {
    return { status: session.status, login: session.login || null, userId: session.userId || null, expiresAt: session.expiresAt || null };
  }

  function callbackCode() { return params.get('code'); }

  var steps = {
    'sign-in': function (sdk) {
      return sdk.signInWithCredentials({ username: byId('input-username').value, password: byId('input-password').value })
        .then(function (transaction) {
          sessionToken = transaction.sessionToken;
          return { status: transaction.status, sessionToken: Boolean(transaction.sessionToken), login: transaction.user && transaction.user.profile.login };
        });
    },
    'session-cookie': function (sdk) {
      if (!sessionToken) return Promise.reject(new Error('Sign in with credentials first: this step redeems its session token.'));
      sessionStorage.setItem(PENDING_KEY, 'session-cookie');
      sdk.session.setCookieAndRedirect(sessionToken, location.origin + '/sdk.html');
      return new Promise(function () {});
    },
    'session-exists': function (sdk) { return sdk.session.exists(); },
    'session-get': function (sdk) { return sdk.session.get().then(sessionSummary); },
    'session-refresh': function (sdk) { return sdk.session.refresh().then(sessionSummary); },
    'tokens-silent': function (sdk) {
      return sdk.token.getWithoutPrompt({ timeout: 20000 }).then(function (result) {
        sdk.tokenManager.setTokens(result.tokens);
        return summary(result.tokens);
      });
    },
    'tokens-redirect': function (sdk) {
      return sdk.token.getWithRedirect().then(function () { return new Promise(function () {}); });
    },
    'redirect-finish': function (sdk) {
      return sdk.token.parseFromUrl().then(function (result) {
        sdk.tokenManager.setTokens(result.tokens);
        return summary(result.tokens);
      });
    },
    'redirect-wrong-verifier': function (sdk) {
      var wrong = 'a-pkce-verifier-this-page-never-sent-0123456789';
      return sdk.token.exchangeCodeForTokens({ authorizationCode: callbackCode(), codeVerifier: wrong, redirectUri: byId('input-redirectUri').value })
        .then(function (result) { return summary(result.tokens); });
    },
    'user-info': function (sdk) { return sdk.token.getUserInfo(); },
    'revoke': function (sdk) {
      return sdk.tokenManager.getTokens().then(function (tokens) {
        if (!tokens.accessToken) throw new Error('Get tokens first: there is no access token to revoke.');
        return sdk.revokeAccessToken(tokens.accessToken).then(function () {
          revokedTokens = tokens; // kept, so the next step can show the org refusing it
          return { revoked: true };
        });
      });
    },
    'user-info-revoked': function (sdk) {
      if (!revokedTokens) return Promise.reject(new Error('Revoke the access token first.'));
      return sdk.token.getUserInfo(revokedTokens.accessToken, revokedTokens.idToken);
    },
    'session-close': function (sdk) { return sdk.closeSession(); },
    'sign-out': function (sdk) {
      sessionStorage.setItem(PENDING_KEY, 'sign-out');
      return sdk.signOut().then(function () { return new Promise(function () {}); });
    },
  };

  function run(step) {
    saveConfig();
    var promise;
    try { promise = Promise.resolve(steps[step](client())); } catch (error) { promise = Promise.reject(error); }
    promise.then(function (value) { show(step, 'ok', value); }, function (error) { show(step, 'error', describeError(error)); });
  }

  var config = readConfig();
  byId('input-issuer').value = config.issuer;
  byId('input-clientId').value = config.clientId;
  byId('input-redirectUri').value = config.redirectUri;
  byId('site-origin').textContent = location.origin;
  byId('callback-uri').textContent = location.origin + '/login/callback';
  // The SDK names itself in the header it sends: "okta-auth-js/<version>".
  byId('sdk-version').textContent = typeof OktaAuth === 'function'
    ? String(Object.values(new OktaAuth({ issuer: 'https://example.okta.com' })._oktaUserAgent.getHttpHeader())[0] || '')
    : '(not loaded: run npm ci)';
  byId('callback-steps').hidden = !onCallback;
  fields.forEach(function (name) { byId('input-' + name).addEventListener('change', saveConfig); });
  document.querySelectorAll('button[data-step]').forEach(function (button) {
    button.addEventListener('click', function () { run(button.dataset.step); });
  });

  // Back from a redirect this page started: say so, with what the URL brought back.
  var pending = sessionStorage.getItem(PENDING_KEY);
  sessionStorage.removeItem(PENDING_KEY);
  if (pending) show(pending, 'ok', { returned: true, state: params.get('state') });
  if (onCallback && params.get('error')) show('tokens-redirect', 'error', { name: 'OAuthError', errorCode: params.get('error'), errorSummary: params.get('error_description'), status: null });
  else if (onCallback && callbackCode()) show('tokens-redirect', 'ok', { returned: true, code: true });
  document.body.dataset.ready = 'true';
})();
