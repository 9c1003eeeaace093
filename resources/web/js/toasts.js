// Toasts: operator broadcasts (`notification` events) and the page's own messages. They sit
// in a live region, so screen readers announce them; errors stay until dismissed.

import { byId, formatClock, formatFullDate, h } from './dom.js';

const LEVELS = new Set(['info', 'success', 'warning', 'error']);
const MAX_TOASTS = 5;

const region = () => byId('toasts');

/** Shows a toast. `level`: info, success, warning or error. Returns the element. */
export function showToast({ level = 'info', title = '', text = '', timestamp = null, timeoutMs } = {}) {
    const safeLevel = LEVELS.has(level) ? level : 'info';
    const titleText = typeof title === 'string' ? title.slice(0, 200) : '';
    const bodyText = typeof text === 'string' ? text.slice(0, 2000) : '';
    if (!titleText && !bodyText) return null;
    const close = h('button', { type: 'button', class: 'toast-close', 'aria-label': 'Dismiss notification', text: '×' });
    const toast = h('div', { class: `toast toast-${safeLevel}`, role: safeLevel === 'error' ? 'alert' : 'status', 'data-level': safeLevel },
        h('div', { class: 'toast-body' },
            titleText ? h('p', { class: 'toast-title', text: titleText }) : null,
            bodyText ? h('p', { class: 'toast-text', text: bodyText }) : null,
            timestamp && formatClock(timestamp)
                ? h('time', { class: 'toast-time', datetime: timestamp, title: formatFullDate(timestamp), text: formatClock(timestamp) })
                : null),
        close);
    const dismiss = () => {
        toast.classList.add('leaving');
        setTimeout(() => toast.remove(), 150);
    };
    close.addEventListener('click', dismiss);
    const container = region();
    container.append(toast);
    while (container.children.length > MAX_TOASTS) container.firstElementChild.remove();
    const timeout = timeoutMs ?? (safeLevel === 'error' ? 0 : 8000);
    if (timeout > 0) {
        let timer = setTimeout(dismiss, timeout);
        // Pause while the pointer or the keyboard is on it, so it can be read.
        toast.addEventListener('mouseenter', () => clearTimeout(timer));
        toast.addEventListener('focusin', () => clearTimeout(timer));
        toast.addEventListener('mouseleave', () => {
            timer = setTimeout(dismiss, timeout / 2);
        });
    }
    return toast;
}

/** A `notification` event from the server (operator broadcast). */
export function showNotification(data) {
    if (!data || typeof data !== 'object') return;
    showToast({
        level: data.level === 'warning' || data.level === 'error' ? data.level : 'info',
        title: typeof data.title === 'string' ? data.title : 'Notification',
        text: typeof data.text === 'string' ? data.text : '',
        timestamp: typeof data.timestamp === 'string' ? data.timestamp : null,
        timeoutMs: data.level === 'error' ? 0 : 12000,
    });
}
