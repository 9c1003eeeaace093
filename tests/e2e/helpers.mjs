// Shared helpers of the browser end-to-end tests: the real application (started through the
// realtime suite's helpers: headless, free loopback port, own data dir and settings file) and
// Debian's Chromium driven by playwright-core. Every page is watched: a console error, an
// uncaught exception or a Content-Security-Policy violation fails the test that caused it.
//
// Environment (set by ctest, see tests/integration/CMakeLists.txt):
//   MMV_APP              the multimodelvideo executable
//   MMV_SOURCE_DIR       the repository root (node_modules from npm ci)
//   MMV_CHROMIUM         the browser (default /usr/bin/chromium)
//   MMV_E2E_SCREENSHOTS  a directory: the tests save their screenshots there as web-*.png
//                        (docs/screenshots when refreshing the documentation); unset: none

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';

import { OPERATOR, VIEWER, api, sourceDir } from '../integration/realtime/helpers.mjs';

export { OPERATOR, VIEWER, api, closeAll, connect, ok, removeDir, sourceDir, startApp, uniqueId, withTimeout } from '../integration/realtime/helpers.mjs';

const require = createRequire(path.join(sourceDir, 'package.json'));
const { chromium } = require('playwright-core');

export const CHROMIUM = process.env.MMV_CHROMIUM || '/usr/bin/chromium';
/** The flags of issue 7; Playwright adds its own (remote debugging pipe, fresh temp profile). */
export const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

export const SAMPLE_VIDEO = '/usr/share/doc/opencv-doc/examples/data/Megamind.avi';

/** How long a step in the page may take. */
export const UI_TIMEOUT_MS = 10000;

export const screenshotDir = process.env.MMV_E2E_SCREENSHOTS || null;

/**
 * Chromium, headless. Playwright's launch() gives each browser a fresh temporary user data
 * directory and removes it on close(); each newContext() is a further isolated profile.
 */
export async function launchBrowser() {
    if (!existsSync(CHROMIUM)) throw new Error(`no browser at ${CHROMIUM} (install Debian's chromium)`);
    return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS, headless: true, timeout: 30000 });
}

/**
 * Collects what must never happen on a page: console errors (CSP violations are reported
 * there too), uncaught exceptions, and requests the page failed to make. `allow(regexp)` lets
 * through an error a test provokes on purpose (an HTTP 415 it asked for, say).
 */
export function watchPage(page, label) {
    const problems = [];
    const allowed = [];
    page.on('console', (message) => {
        if (message.type() === 'error') problems.push(`${label} console error: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`${label} uncaught: ${error.stack ?? error.message}`));
    return {
        allow(pattern) {
            allowed.push(pattern);
        },
        unexpected() {
            return problems.filter((text) => !allowed.some((pattern) => pattern.test(text)));
        },
        assertClean() {
            assert.deepEqual(this.unexpected(), [], `problems on ${label}`);
        },
    };
}

/**
 * A new browser context (a separate profile: own localStorage) with one page opened on the
 * app. `token`: put in the link as ?token= (null: the page must ask). Resolves once the page is
 * connected and has re-joined and re-subscribed (body[data-synced="true"]), unless `wait` is false.
 */
export async function openClient(browser, app, { token = VIEWER, viewport = DESKTOP, hash = '', label = 'page', wait = true, colorScheme = 'light' } = {}) {
    const context = await browser.newContext({ viewport, deviceScaleFactor: 1, reducedMotion: 'reduce', colorScheme });
    // Chromium logs CSP violations itself; this names the directive too, as a console error.
    await context.addInitScript(() => {
        document.addEventListener('securitypolicyviolation', (event) => {
            console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || 'inline'}`);
        });
    });
    const page = await context.newPage();
    page.setDefaultTimeout(UI_TIMEOUT_MS);
    const watch = watchPage(page, label);
    const query = token === null ? '' : `?token=${encodeURIComponent(token)}`;
    await page.goto(`${app.url}/${query}${hash}`);
    if (wait) await synced(page);
    return { context, page, watch };
}

/** Waits until the page is connected and its re-join/re-subscribe round has finished. */
export async function synced(page, timeout = UI_TIMEOUT_MS) {
    await page.waitForSelector('body[data-synced="true"]', { state: 'attached', timeout });
}

/** The page's connection indicator state. */
export function connectionState(page) {
    return page.getAttribute('#connection', 'data-state');
}

/** Polls `check` (async, throws while not yet true) until it passes or `ms` elapse. */
export async function eventually(check, { ms = UI_TIMEOUT_MS, label = 'condition' } = {}) {
    const deadline = Date.now() + ms;
    let lastError = null;
    for (;;) {
        try {
            return await check();
        } catch (error) {
            lastError = error;
        }
        if (Date.now() > deadline) {
            throw new Error(`timed out after ${ms} ms waiting for ${label}: ${lastError?.message ?? lastError}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
    }
}

/** Opens (joins or creates) a chat session through the page's form. */
export async function openSession(page, sessionId) {
    await page.fill('#session-input', sessionId);
    await page.press('#session-input', 'Enter');
    await page.waitForFunction((id) => document.getElementById('chat-session-name').textContent === id
        && document.querySelector('.session.current .session-name')?.textContent === id, sessionId);
}

/** Types a chat message and sends it with Enter. */
export async function sendWithEnter(page, text) {
    await page.fill('#message-input', text);
    await page.press('#message-input', 'Enter');
}

/**
 * The open session's messages as the page shows them, in page order:
 * [{id, seq, state, author, text, classes}] (pending ones have id null).
 */
export function shownMessages(page) {
    return page.$$eval('#messages > li.message', (items) => items.map((item) => ({
        id: item.dataset.id ?? null,
        seq: item.dataset.seq === undefined ? null : Number(item.dataset.seq),
        state: item.dataset.state,
        author: item.querySelector('.message-author')?.textContent ?? null,
        text: item.querySelector('.message-text')?.textContent ?? null,
        classes: [...item.classList],
    })));
}

/** Asserts the page's messages are confirmed, unique by id, and in strictly increasing seq order. */
export function assertOrderedUnique(messages, what) {
    const ids = messages.map((m) => m.id);
    assert.equal(new Set(ids).size, ids.length, `${what}: duplicate message ids ${JSON.stringify(ids)}`);
    for (let i = 1; i < messages.length; ++i) {
        assert.ok(messages[i].seq > messages[i - 1].seq, `${what}: seq ${messages[i].seq} after ${messages[i - 1].seq}`);
    }
}

/** Saves a screenshot as <MMV_E2E_SCREENSHOTS>/<name>.png when that is set. */
export async function screenshot(page, name) {
    if (!screenshotDir) return;
    await mkdir(screenshotDir, { recursive: true });
    await page.screenshot({ path: path.join(screenshotDir, `web-${name}.png`), animations: 'disabled', caret: 'hide' });
}

/** Uploads the sample video through the API (as a viewer); resolves with the video. */
export async function uploadSample(app, file = SAMPLE_VIDEO) {
    const body = new FormData();
    body.append('file', new Blob([await readFile(file)], { type: 'video/x-msvideo' }), path.basename(file));
    const response = await fetch(`${app.url}/api/v1/videos`, {
        method: 'POST',
        headers: { authorization: `Bearer ${VIEWER}` },
        body,
        signal: AbortSignal.timeout(30000),
    });
    const text = await response.text();
    assert.equal(response.status, 201, `upload: ${text}`);
    return JSON.parse(text);
}

/** Publishes through the operator's REST API (what an analysis engine or a script would do). */
export async function operatorPost(app, urlPath, json) {
    const reply = await api(app, 'POST', urlPath, { token: OPERATOR, json });
    assert.equal(reply.status, 200, `${urlPath}: ${reply.text}`);
    return reply.body;
}

/**
 * Accessibility checks of what the page shows now: every control (button, field, tab, link,
 * image) has an accessible name (Chromium's accessibility tree, through CDP), and visible text
 * has a contrast of at least 4.5:1 (3:1 for large text) against its background (WCAG 2 AA).
 * Resolves with {unnamed: [...], lowContrast: [...]} for the assertion to show.
 */
export async function audit(page) {
    const cdp = await page.context().newCDPSession(page);
    const { nodes } = await cdp.send('Accessibility.getFullAXTree');
    await cdp.detach();
    const named = new Set(['button', 'textbox', 'link', 'tab', 'checkbox', 'combobox', 'image', 'img', 'meter', 'progressbar', 'dialog']);
    const unnamed = nodes
        .filter((node) => !node.ignored && named.has(node.role?.value) && !String(node.name?.value ?? '').trim())
        .map((node) => `${node.role.value} (backend node ${node.backendDOMNodeId})`);
    const lowContrast = await page.evaluate(() => {
        const parse = (colour) => {
            const match = /rgba?\(([^)]+)\)/.exec(colour);
            if (!match) return null;
            const [r, g, b, a = 1] = match[1].split(/[\s,/]+/).filter(Boolean).map(Number);
            return { r, g, b, a };
        };
        const over = (top, bottom) => ({
            r: top.r * top.a + bottom.r * (1 - top.a),
            g: top.g * top.a + bottom.g * (1 - top.a),
            b: top.b * top.a + bottom.b * (1 - top.a),
            a: 1,
        });
        const luminance = ({ r, g, b }) => {
            const f = (v) => {
                const c = v / 255;
                return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
            };
            return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
        };
        const backgroundOf = (element) => {
            const layers = [];
            for (let node = element; node; node = node.parentElement) {
                const style = getComputedStyle(node);
                if (style.backgroundImage !== 'none' && !style.backgroundImage.startsWith('url(')) return null; // gradients: not judged
                const colour = parse(style.backgroundColor);
                if (colour && colour.a > 0) {
                    layers.push(colour);
                    if (colour.a >= 1) break;
                }
            }
            let result = parse(getComputedStyle(document.documentElement).backgroundColor) ?? { r: 255, g: 255, b: 255, a: 1 };
            if (result.a < 1) result = over(result, { r: 255, g: 255, b: 255, a: 1 });
            for (const layer of layers.reverse()) result = over(layer, result);
            return result;
        };
        const problems = [];
        const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        const seen = new Set();
        for (let text = walker.nextNode(); text; text = walker.nextNode()) {
            const element = text.parentElement;
            if (!text.textContent.trim() || seen.has(element)) continue;
            seen.add(element);
            if (element.closest('[hidden], .visually-hidden, [aria-hidden="true"], :disabled')) continue;
            const rect = element.getBoundingClientRect();
            if (rect.width === 0 || rect.height === 0 || rect.bottom < 0 || rect.top > innerHeight) continue;
            if (element.closest('dialog:not([open])')) continue;
            const style = getComputedStyle(element);
            if (style.visibility !== 'visible') continue;
            const background = backgroundOf(element);
            if (!background) continue;
            const foreground = over(parse(style.color), background);
            const [light, dark] = [luminance(foreground), luminance(background)].sort((a, b) => b - a);
            const ratio = (light + 0.05) / (dark + 0.05);
            const size = parseFloat(style.fontSize);
            const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
            if (ratio < (large ? 3 : 4.5)) problems.push(`"${text.textContent.trim().slice(0, 40)}" ${ratio.toFixed(2)}:1 (${style.color} on rgb(${Math.round(background.r)}, ${Math.round(background.g)}, ${Math.round(background.b)}))`);
        }
        return problems;
    });
    return { unnamed, lowContrast };
}

/** Asserts audit(page) found nothing. */
export async function assertAccessible(page, what) {
    const { unnamed, lowContrast } = await audit(page);
    assert.deepEqual(unnamed, [], `${what}: controls without an accessible name`);
    assert.deepEqual(lowContrast, [], `${what}: text below the WCAG AA contrast`);
}
