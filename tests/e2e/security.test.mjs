// The page's defences: a strict Content-Security-Policy that the client works under (dynamic
// geometry and colours through CSSOM custom properties, which the policy allows, never style
// attributes, which it refuses), nothing loaded from elsewhere, the vendored Socket.IO client
// being the npm package's file, and no HTML built from strings anywhere in the client.

import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { launchBrowser, openClient, removeDir, sourceDir, startApp } from './helpers.mjs';

let app;
let browser;

before(async () => {
    [app, browser] = await Promise.all([startApp(), launchBrowser()]);
});

after(async () => {
    await browser?.close();
    await app?.stop();
    await removeDir(app?.home);
});

test('the page comes with a strict policy and holds no inline script, style or handler', async () => {
    const response = await fetch(`${app.url}/`);
    assert.equal(response.status, 200);
    const csp = response.headers.get('content-security-policy') ?? '';
    assert.match(csp, /script-src 'self'/);
    assert.match(csp, /style-src 'self'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.equal(response.headers.get('referrer-policy'), 'no-referrer', 'keyframe URLs carry the token: no Referer');
    const html = await response.text();
    assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/i, 'no inline script');
    assert.doesNotMatch(html, /\sstyle\s*=/i, 'no style attribute');
    assert.doesNotMatch(html, /\son[a-z]+\s*=/i, 'no inline event handler');
    assert.doesNotMatch(html, /<style/i, 'no style element');
});

test('the Socket.IO client is the npm package file, compiled in', async () => {
    const served = Buffer.from(await (await fetch(`${app.url}/vendor/socket.io.esm.min.js`)).arrayBuffer());
    const packaged = await readFile(path.join(sourceDir, 'node_modules/socket.io-client/dist/socket.io.esm.min.js'));
    assert.ok(served.equals(packaged), 'served file differs from node_modules/socket.io-client');
});

test('CSSOM custom properties pass the policy, style attributes do not', async () => {
    const { page, watch, context } = await openClient(browser, app, { label: 'csp' });
    const requests = [];
    page.on('request', (request) => requests.push(request.url()));
    const result = await page.evaluate(async () => {
        const violations = [];
        document.addEventListener('securitypolicyviolation', (event) => violations.push(event.violatedDirective));
        const allowed = document.createElement('span');
        document.body.append(allowed);
        allowed.style.setProperty('--x', '0.25');
        const refused = document.createElement('span');
        refused.setAttribute('style', 'color: rgb(255, 0, 0)');
        document.body.append(refused);
        await new Promise((resolve) => setTimeout(resolve, 50));
        const out = {
            custom: getComputedStyle(allowed).getPropertyValue('--x').trim(),
            colour: getComputedStyle(refused).color,
            violations,
        };
        allowed.remove();
        refused.remove();
        return out;
    });
    assert.equal(result.custom, '0.25', 'custom properties set through the CSSOM apply');
    assert.notEqual(result.colour, 'rgb(255, 0, 0)', 'a style attribute is refused');
    assert.ok(result.violations.some((d) => d.startsWith('style-src')), JSON.stringify(result.violations));
    watch.allow(/Applying inline style violates|Refused to apply inline style|CSP violation: style-src/);
    // Everything the page loaded came from the app.
    await page.reload();
    await page.waitForSelector('body[data-synced="true"]', { state: 'attached' });
    const foreign = requests.filter((url) => !url.startsWith(`${app.url}/`) && !url.startsWith('data:') && !url.startsWith('blob:'));
    assert.deepEqual(foreign, []);
    watch.assertClean();
    await context.close();
});

test('the client code builds no HTML from strings and evaluates no strings', async () => {
    const dir = path.join(sourceDir, 'resources/web/js');
    const files = (await readdir(dir)).filter((name) => name.endsWith('.js'));
    assert.ok(files.length > 0);
    for (const name of files) {
        const code = await readFile(path.join(dir, name), 'utf8');
        for (const pattern of [/\.innerHTML\b/, /\.outerHTML\b/, /insertAdjacentHTML/, /document\.write/, /\beval\s*\(/, /new Function\b/, /createContextualFragment/, /setAttribute\(\s*['"]style/]) {
            assert.doesNotMatch(code, pattern, `${name} uses ${pattern}`);
        }
    }
});
