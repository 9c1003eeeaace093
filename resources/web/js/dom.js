// Small DOM and formatting helpers. Everything shown goes through text nodes or attributes set
// one by one: no HTML strings anywhere, so chat text and file names can never become markup.

/**
 * Creates an element. `props`: `class`, `text` (textContent), `vars` (CSS custom properties,
 * set through the CSSOM, which the page's Content-Security-Policy allows), `on<event>`
 * handlers, `true` for boolean attributes, anything else as an attribute. Children are nodes or
 * strings (text).
 */
export function h(tag, props = {}, ...children) {
    const element = document.createElement(tag);
    for (const [key, value] of Object.entries(props ?? {})) {
        if (value === undefined || value === null || value === false) continue;
        if (key === 'style') throw new Error('no style attributes: use classes or vars');
        if (key === 'class') element.className = value;
        else if (key === 'text') element.textContent = value;
        else if (key === 'vars') setVars(element, value);
        else if (key.startsWith('on') && typeof value === 'function') element.addEventListener(key.slice(2), value);
        else element.setAttribute(key, value === true ? '' : String(value));
    }
    append(element, children);
    return element;
}

function append(element, children) {
    for (const child of children.flat(Infinity)) {
        if (child === null || child === undefined || child === false) continue;
        element.append(child instanceof Node ? child : String(child));
    }
}

/** Sets CSS custom properties (`--name`) on an element. */
export function setVars(element, vars) {
    for (const [name, value] of Object.entries(vars)) element.style.setProperty(`--${name}`, String(value));
}

/** Replaces an element's children. */
export function replaceChildren(element, ...children) {
    element.replaceChildren();
    append(element, children);
}

export const byId = (id) => document.getElementById(id);

/**
 * Puts `wanted` (elements, in order) as the children of `parent`, moving only what is out of
 * place, so focus, scroll position and loaded images survive an update.
 */
export function reconcile(parent, wanted) {
    let cursor = parent.firstChild;
    for (const element of wanted) {
        if (element === cursor) {
            cursor = cursor.nextSibling;
        } else {
            parent.insertBefore(element, cursor);
        }
    }
    while (cursor) {
        const next = cursor.nextSibling;
        cursor.remove();
        cursor = next;
    }
}

/** 83 -> "1:23", 3723 -> "1:02:03". */
export function formatDuration(seconds) {
    if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) return '–';
    const total = Math.floor(seconds);
    const h = Math.floor(total / 3600);
    const m = Math.floor((total % 3600) / 60);
    const s = String(total % 60).padStart(2, '0');
    return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** A time inside a video with tenths: 83.25 -> "1:23.2". */
export function formatVideoTime(seconds) {
    if (typeof seconds !== 'number' || !Number.isFinite(seconds)) return '–';
    return `${formatDuration(seconds)}.${Math.floor((seconds % 1) * 10)}`;
}

/** "about 2 min left". */
export function formatEta(seconds) {
    if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) return '';
    if (seconds < 5) return 'a few seconds left';
    if (seconds < 60) return `about ${Math.round(seconds / 5) * 5} s left`;
    if (seconds < 3600) return `about ${Math.round(seconds / 60)} min left`;
    return `about ${Math.floor(seconds / 3600)} h ${Math.round((seconds % 3600) / 60)} min left`;
}

export function formatBytes(bytes) {
    if (typeof bytes !== 'number' || !Number.isFinite(bytes)) return '–';
    const units = ['B', 'KB', 'MB', 'GB', 'TB'];
    let value = bytes;
    let unit = 0;
    while (value >= 1000 && unit < units.length - 1) {
        value /= 1000;
        ++unit;
    }
    return `${value >= 100 || unit === 0 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
const fullFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

/** A message time: "14:03" today, "12 Mar, 14:03" before. */
export function formatClock(iso) {
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) return '';
    const today = new Date();
    return date.toDateString() === today.toDateString() ? timeFormat.format(date) : dateTimeFormat.format(date);
}

export function formatFullDate(iso) {
    const date = new Date(iso);
    return Number.isNaN(date.getTime()) ? '' : fullFormat.format(date);
}
