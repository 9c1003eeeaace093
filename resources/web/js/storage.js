// What the page keeps in localStorage: the access token, the display name, the chat sessions
// the user opened, and chat messages typed but not confirmed by the server yet (sent again
// after a reload). Storage may be unavailable (private windows): then nothing is kept.

const PREFIX = 'mmv.';

function read(key, fallback) {
    try {
        const raw = localStorage.getItem(PREFIX + key);
        return raw === null ? fallback : JSON.parse(raw);
    } catch {
        return fallback;
    }
}

function write(key, value) {
    try {
        if (value === undefined || value === null) localStorage.removeItem(PREFIX + key);
        else localStorage.setItem(PREFIX + key, JSON.stringify(value));
    } catch {
        // storage full or unavailable: the page still works, it only forgets on reload
    }
}

export const storage = {
    get token() {
        const token = read('token', null);
        return typeof token === 'string' && token ? token : null;
    },
    set token(value) {
        write('token', value || null);
    },
    get name() {
        const name = read('name', null);
        return typeof name === 'string' && name.trim() ? name.trim().slice(0, 64) : null;
    },
    set name(value) {
        write('name', value);
    },
    get sessions() {
        const sessions = read('sessions', null);
        return Array.isArray(sessions) ? sessions.filter((s) => typeof s === 'string') : null;
    },
    set sessions(value) {
        write('sessions', value);
    },
    get activeSession() {
        return read('activeSession', null);
    },
    set activeSession(value) {
        write('activeSession', value);
    },
    /** {session_id: [{client_msg_id, text, created}]} */
    get pending() {
        const pending = read('pending', {});
        return pending && typeof pending === 'object' ? pending : {};
    },
    set pending(value) {
        write('pending', value);
    },
    /** client_msg_ids of messages this browser sent (to show them as "mine"), newest last. */
    get ownMessageIds() {
        const ids = read('own', []);
        return Array.isArray(ids) ? ids : [];
    },
    set ownMessageIds(value) {
        write('own', value.slice(-1000));
    },
};

/**
 * Takes `?token=` from the address (a viewer link), keeps it, and removes it from the address
 * bar and the history so it is not bookmarked, shared or shown over a shoulder.
 */
export function takeTokenFromAddress() {
    const url = new URL(window.location.href);
    const token = url.searchParams.get('token');
    if (token === null) return null;
    url.searchParams.delete('token');
    window.history.replaceState(window.history.state, '', url.pathname + url.search + url.hash);
    const trimmed = token.trim();
    if (trimmed) storage.token = trimmed;
    return trimmed || null;
}
