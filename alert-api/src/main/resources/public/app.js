// The analyst page: plain DOM, no framework. Every value from the server is put in with
// textContent, never as HTML, so alert fields (merchant names, reasons) cannot inject markup.
'use strict';

const state = { token: sessionStorage.getItem('vigil.token'), user: sessionStorage.getItem('vigil.user'),
  next: null, selected: null, caseId: null, live: null, idleMs: 15 * 60 * 1000, lastActivity: Date.now() };
const $ = (id) => document.getElementById(id);

async function api(method, path, body) {
  const headers = { 'Accept': 'application/json' };
  if (state.token) headers['Authorization'] = 'Bearer ' + state.token;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const r = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (r.status === 401 && path !== '/login') {
    endSession('Your session has ended: log in again.');
    throw new Error('session ended: log in again');
  }
  const text = await r.text();
  const data = text ? JSON.parse(text) : null;
  if (!r.ok) throw new Error((data && (data.message || (data._embedded && data._embedded.errors &&
      data._embedded.errors.map((e) => e.message).join('; ')))) || r.status + ' ' + r.statusText);
  return data;
}

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
}

const money = (minor, ccy) => (minor / 100).toFixed(2) + ' ' + ccy;
const time = (iso) => iso ? new Date(iso).toLocaleString() : '';
const score = (s) => s === null || s === undefined ? '—' : s.toFixed(3);

// Which of the three views shows: login, the forced password change, or the workspace. The
// server decides whether a password must change (GET /api/me) and refuses everything else until it is.
async function showLoggedIn() {
  const inside = Boolean(state.token);
  $('login').hidden = inside;
  $('change-password').hidden = true;
  $('workspace').hidden = true;
  $('session').hidden = !inside;
  $('whoami').textContent = inside ? state.user : '';
  if (!inside) return;
  let me;
  try { me = await api('GET', '/api/me'); } catch (e) { return; }
  state.idleMs = me.idleTimeoutSeconds * 1000;
  state.lastActivity = Date.now();
  if (me.mustChangePassword) {
    $('change-password').hidden = false;
    return;
  }
  $('workspace').hidden = false;
  loadQueue(true); startLive();
}

async function logIn(username, password) {
  const r = await api('POST', '/login', { username, password });
  state.token = r.access_token;
  state.user = r.username;
  sessionStorage.setItem('vigil.token', state.token);
  sessionStorage.setItem('vigil.user', state.user);
}

async function login(ev) {
  ev.preventDefault();
  $('login-error').textContent = '';
  try {
    await logIn($('username').value, $('password').value);
    $('password').value = '';
    await showLoggedIn();
  } catch (e) {
    $('login-error').textContent = 'Login failed: user or password is wrong, or the account is locked or disabled.';
  }
}

// The change ends every session, this one included, so the page logs in again with the new password.
async function changePassword(ev) {
  ev.preventDefault();
  $('change-error').textContent = '';
  const current = $('current-password').value, chosen = $('new-password').value;
  try {
    await api('POST', '/api/me/password', { currentPassword: current, newPassword: chosen });
    $('current-password').value = ''; $('new-password').value = '';
    await logIn(state.user, chosen);
    await showLoggedIn();
  } catch (e) {
    $('change-error').textContent = e.message;
  }
}

// Logging out ends the session on the server too: the token stops working everywhere.
function logout() {
  if (state.token) fetch('/api/me/logout', { method: 'POST', headers: { 'Authorization': 'Bearer ' + state.token } });
  endSession('');
}

function endSession(message) {
  state.token = null; state.user = null;
  sessionStorage.removeItem('vigil.token'); sessionStorage.removeItem('vigil.user');
  if (state.live) state.live.abort();
  $('login-error').textContent = message;
  showLoggedIn();
}

// PCI DSS 8.2.8: after the idle timeout without a click or a key, the page logs out (the server
// refuses an idle session as well).
function checkIdle() {
  if (state.token && Date.now() - state.lastActivity > state.idleMs) {
    logout();
    $('login-error').textContent = 'Logged out after ' + Math.round(state.idleMs / 60000) + ' minutes without activity.';
  }
}

function row(a) {
  const tr = document.createElement('tr');
  tr.dataset.alertId = a.alertId;
  tr.append(el('td', time(a.createdAt)), el('td', a.kind), el('td', a.card),
    el('td', money(a.amountMinor, a.currency), 'num'), el('td', score(a.score), 'num'),
    el('td', a.action || ''), el('td', a.status, 'status'), el('td', a.caseId));
  tr.addEventListener('click', () => select(a.alertId));
  return tr;
}

function filterQuery() {
  const q = new URLSearchParams({ limit: '50' });
  if ($('status-filter').value) q.set('status', $('status-filter').value);
  if ($('pattern-filter').value.trim()) q.set('pattern', $('pattern-filter').value.trim());
  return q;
}

async function loadQueue(reset) {
  const q = filterQuery();
  if (!reset && state.next) q.set('cursor', state.next);
  try {
    const page = await api('GET', '/api/alerts?' + q);
    const body = $('queue').tBodies[0];
    if (reset) body.replaceChildren();
    page.items.forEach((a) => body.append(row(a)));
    state.next = page.next;
    $('more-button').hidden = !page.next;
  } catch (e) {
    $('action-result').textContent = e.message;
  }
}

function matchesFilter(a) {
  const status = $('status-filter').value, pattern = $('pattern-filter').value.trim();
  return (!status || a.status === status) && (!pattern || a.kind === pattern);
}

// Live alerts over server-sent events, read with fetch so the bearer token can be sent.
async function startLive() {
  if (state.live) state.live.abort();
  const ctl = new AbortController();
  state.live = ctl;
  try {
    const r = await fetch('/api/alerts/live', { headers: { 'Authorization': 'Bearer ' + state.token,
      'Accept': 'text/event-stream' }, signal: ctl.signal });
    if (!r.ok) throw new Error('live stream: ' + r.status);
    const reader = r.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        let event = 'message', data = '';
        block.split('\n').forEach((line) => {
          if (line.startsWith('event:')) event = line.slice(6).trim();
          else if (line.startsWith('data:')) data += line.slice(5).trim();
        });
        if (event === 'ready') { setLive(true); }
        if (event === 'alert' && data) {
          const a = JSON.parse(data);
          if (matchesFilter(a) && !document.querySelector('#queue tr[data-alert-id="' + CSS.escape(a.alertId) + '"]')) {
            const tr = row(a);
            tr.classList.add('new');
            $('queue').tBodies[0].prepend(tr);
          }
        }
      }
    }
  } catch (e) {
    if (ctl.signal.aborted) return;
  }
  setLive(false);
  if (state.live === ctl && state.token) {
    setTimeout(() => { if (state.live === ctl && state.token) { loadQueue(true); startLive(); } }, 3000);
  }
}

function setLive(on) {
  $('live-status').textContent = on ? 'live' : 'offline';
  $('live-status').className = 'live ' + (on ? 'on' : 'off');
}

async function select(alertId) {
  document.querySelectorAll('#queue tr.selected').forEach((r) => r.classList.remove('selected'));
  const tr = document.querySelector('#queue tr[data-alert-id="' + CSS.escape(alertId) + '"]');
  if (tr) tr.classList.add('selected');
  $('action-result').textContent = '';
  try {
    const d = await api('GET', '/api/alerts/' + encodeURIComponent(alertId));
    state.selected = alertId;
    state.caseId = d.alert.caseId;
    renderDetail(d);
    await loadCase();
  } catch (e) {
    $('action-result').textContent = e.message;
  }
}

function renderDetail(d) {
  $('detail-pane').hidden = false;
  $('detail-id').textContent = d.alert.alertId;
  const a = d.authorization, dec = d.decision;
  const facts = [['Kind', d.alert.kind], ['Pattern', d.pattern || '—'], ['Card', a.card],
    ['Amount', money(a.amountMinor, a.currency)], ['Merchant', a.merchantId + ' · MCC ' + (a.mcc || '?') +
      ' · ' + (a.merchantCountry || '?')], ['Channel', a.channel + ' / ' + a.entryMode], ['When', time(a.eventTime)],
    ['Score', dec ? score(dec.score) : '—'], ['Decision', dec ? dec.action : '—'],
    ['Model', dec && dec.modelVersion ? dec.modelVersion : 'none'],
    ['Related', d.relatedAuthorizationIds.length + ' authorization(s)']];
  $('detail-facts').replaceChildren(...facts.flatMap(([k, v]) => [el('dt', k), el('dd', v)]));
  $('detail-reasons').replaceChildren(...(dec ? dec.reasons : ['pattern match: ' + d.alert.kind]).map((r) => el('li', r)));
  $('recent').tBodies[0].replaceChildren(...d.recentAuthorizations.map((r) => {
    const tr = document.createElement('tr');
    tr.append(el('td', time(r.eventTime)), el('td', money(r.billingAmountMinor, r.billingCurrency), 'num'),
      el('td', r.merchantId), el('td', r.mcc || ''), el('td', r.merchantCountry || ''), el('td', r.channel),
      el('td', r.hostDecline || ''));
    return tr;
  }));
}

async function loadCase() {
  const c = await api('GET', '/api/cases/' + state.caseId);
  $('case-id').textContent = '#' + c.caseId;
  $('case-status').textContent = c.status + (c.verdict ? ' (' + c.verdict + ')' : '');
  $('case-assignee').textContent = c.assignee ? '· held by ' + c.assignee : '· unassigned';
  $('case-notes').replaceChildren(...(c.notes || []).map((n) => el('li', n.author + ': ' + n.body)));
  const open = c.status === 'OPEN';
  $('claim-button').disabled = !open || c.assignee === state.user;
  $('resolve-button').disabled = !open;
  // Reflect the case's state on every queue row it covers.
  (c.alerts || []).forEach((a) => {
    const tr = document.querySelector('#queue tr[data-alert-id="' + CSS.escape(a.alertId) + '"]');
    if (tr) tr.querySelector('.status').textContent = a.status;
  });
}

async function act(fn, done) {
  const out = $('action-result');
  out.className = ''; out.textContent = '…';
  try {
    const r = await fn();
    out.className = 'ok'; out.textContent = done(r);
    await loadCase();
  } catch (e) {
    out.className = 'error'; out.textContent = e.message;
  }
}

document.addEventListener('DOMContentLoaded', () => {
  $('login-form').addEventListener('submit', login);
  $('change-form').addEventListener('submit', changePassword);
  for (const kind of ['click', 'keydown']) document.addEventListener(kind, () => { state.lastActivity = Date.now(); });
  setInterval(checkIdle, 15000);
  $('logout-button').addEventListener('click', logout);
  $('refresh-button').addEventListener('click', () => loadQueue(true));
  $('status-filter').addEventListener('change', () => loadQueue(true));
  $('pattern-filter').addEventListener('change', () => loadQueue(true));
  $('more-button').addEventListener('click', () => loadQueue(false));
  $('claim-button').addEventListener('click', () => act(
    () => api('POST', '/api/cases/' + state.caseId + '/claim'), () => 'Case claimed.'));
  $('resolve-button').addEventListener('click', () => act(
    () => api('POST', '/api/cases/' + state.caseId + '/resolve', { verdict: $('verdict').value,
      note: $('note').value || null }),
    (r) => 'Resolved as ' + r.resolvedCase.verdict + ': ' + r.labelsCreated + ' label(s) sent for training.'));
  showLoggedIn();
});
