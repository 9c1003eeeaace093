// Entry point of the browser client: token and name, the connection and what runs after every
// (re)connection, the connection indicator, the panels (side by side on wide screens, tabs on
// phones), and the address (#video=<id> opens a video).

import { onUnauthorized, setToken } from './api.js';
import { AnalysisView } from './analysis.js';
import { Chat } from './chat.js';
import { Connection } from './connection.js';
import { byId } from './dom.js';
import { storage, takeTokenFromAddress } from './storage.js';
import { showNotification, showToast } from './toasts.js';
import { Videos } from './videos.js';

takeTokenFromAddress();
let token = storage.token;
setToken(token);
if (!storage.name) storage.name = `Guest ${Math.floor(1000 + Math.random() * 9000)}`;

const connection = new Connection({ getToken: () => token });
const analysisView = new AnalysisView();
const videos = new Videos(connection, analysisView);
const chat = new Chat(connection);

// --- after every connection: name first (chat messages carry it), then re-join and resync ---
connection.onConnect(async () => {
    try {
        await connection.request('set_name', { name: storage.name });
    } catch {
        // the server keeps the default name; chat works regardless
    }
    await Promise.all([chat.rejoinAll(), videos.resync()]);
    document.body.dataset.synced = 'true';
});
connection.on('notification', showNotification);

// --- the connection indicator --------------------------------------------------------------
const STATE_TEXT = {
    connecting: 'Connecting…',
    connected: 'Connected',
    reconnecting: 'Reconnecting…',
    offline: 'Offline',
    refused: 'Not signed in',
};
const indicator = byId('connection');
const retryButton = byId('retry-now');
connection.addEventListener('statechange', ({ detail }) => {
    indicator.dataset.state = detail.state;
    document.body.dataset.connection = detail.state;
    if (detail.state !== 'connected') document.body.dataset.synced = 'false';
    byId('connection-text').textContent = STATE_TEXT[detail.state] ?? detail.state;
    indicator.title = detail.detail || (detail.state === 'offline'
        ? 'The server cannot be reached; the page keeps trying.' : STATE_TEXT[detail.state] ?? '');
    retryButton.hidden = detail.state !== 'offline' || !token;
    chat.connectionChanged();
    videos.scheduleRender();
});
retryButton.addEventListener('click', () => connection.retryNow());
connection.addEventListener('refused', ({ detail }) => {
    if (detail.code !== 'too_many_requests') {
        token = null;
        storage.token = null;
        setToken(null);
    }
    showLogin(detail.message);
});
connection.addEventListener('handlererror', ({ detail }) => {
    showToast({ level: 'error', title: 'Could not restore the session', text: String(detail.error?.message ?? detail.error) });
});
onUnauthorized(() => {
    if (!token) return;
    token = null;
    storage.token = null;
    setToken(null);
    connection.stop();
    showLogin('The server did not accept the access token.');
});

// --- sign in, sign out, name ----------------------------------------------------------------
const loginDialog = byId('login-dialog');
const loginForm = byId('login-form');
const loginError = byId('login-error');
loginDialog.addEventListener('cancel', (event) => {
    if (!token) event.preventDefault();
});

function showLogin(message = '') {
    loginError.textContent = message;
    loginError.hidden = !message;
    byId('login-name').value = storage.name ?? '';
    if (!loginDialog.open) loginDialog.showModal();
    byId('login-token').focus();
}

loginForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const value = byId('login-token').value.trim();
    if (!value) {
        loginError.textContent = 'Enter the access token from the viewer link or the dashboard.';
        loginError.hidden = false;
        return;
    }
    const name = byId('login-name').value.trim();
    if (name) storage.name = name.slice(0, 64);
    updateNameButton();
    token = value;
    storage.token = value;
    setToken(value);
    byId('login-token').value = '';
    loginDialog.close();
    connection.start();
});

byId('sign-out').addEventListener('click', () => {
    token = null;
    storage.token = null;
    setToken(null);
    connection.stop();
    showLogin('');
});

const nameButton = byId('name-button');
const nameDialog = byId('name-dialog');
function updateNameButton() {
    byId('name-button-text').textContent = storage.name;
}
nameButton.addEventListener('click', () => {
    byId('name-input').value = storage.name;
    byId('name-error').hidden = true;
    nameDialog.showModal();
});
byId('name-cancel').addEventListener('click', () => nameDialog.close());
byId('name-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const name = byId('name-input').value.trim();
    if (!name || [...name].length > 64) {
        byId('name-error').textContent = 'Use 1–64 characters.';
        byId('name-error').hidden = false;
        return;
    }
    storage.name = name;
    updateNameButton();
    nameDialog.close();
    if (connection.connected) {
        try {
            await connection.request('set_name', { name });
        } catch (error) {
            showToast({ level: 'warning', title: 'The name was not changed on the server', text: error.message });
        }
    }
});
updateNameButton();

// --- panels: tabs on narrow screens ---------------------------------------------------------
const tabs = [...document.querySelectorAll('[role="tab"]')];
const narrow = window.matchMedia('(max-width: 760px)');
function showPanel(name, { focus = false } = {}) {
    document.body.dataset.panel = name;
    for (const tab of tabs) {
        const selected = tab.dataset.panel === name;
        tab.setAttribute('aria-selected', String(selected));
        tab.tabIndex = selected ? 0 : -1;
    }
    chat.setVisible(!narrow.matches || name === 'chat');
    if (focus) byId(`panel-${name}`).querySelector('h2')?.focus();
}
for (const tab of tabs) {
    tab.addEventListener('click', () => showPanel(tab.dataset.panel));
    tab.addEventListener('keydown', (event) => {
        const index = tabs.indexOf(tab);
        const next = event.key === 'ArrowRight' ? index + 1 : event.key === 'ArrowLeft' ? index - 1 : null;
        if (next === null) return;
        event.preventDefault();
        const target = tabs[(next + tabs.length) % tabs.length];
        showPanel(target.dataset.panel);
        target.focus();
    });
}
narrow.addEventListener('change', () => showPanel(document.body.dataset.panel ?? 'videos'));
showPanel('videos');

chat.onUnreadChange = (count) => {
    const badge = byId('chat-tab-badge');
    badge.textContent = count > 99 ? '99+' : String(count);
    badge.hidden = count === 0;
    document.title = count ? `(${count}) MultiModelVideo` : 'MultiModelVideo';
};

// --- the address: #video=<id> -----------------------------------------------------------------
function videoFromHash() {
    const params = new URLSearchParams(window.location.hash.slice(1));
    return params.get('video');
}
videos.onSelect = (id, { focus }) => {
    const hash = id ? `#video=${encodeURIComponent(id)}` : '';
    if (window.location.hash !== hash) window.history.replaceState(window.history.state, '', window.location.pathname + window.location.search + hash);
    if (id && narrow.matches && focus) showPanel('analysis', { focus: true });
};
window.addEventListener('hashchange', () => {
    const id = videoFromHash();
    if (id !== videos.selected) videos.select(id);
});
const initialVideo = videoFromHash();
if (initialVideo) videos.select(initialVideo);

// --- go ---------------------------------------------------------------------------------------
if (token) {
    connection.start();
} else {
    connection.setState('refused', 'No access token yet.');
    showLogin('');
}
