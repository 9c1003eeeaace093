// The HTTP API (docs/protocol.md): JSON requests with the Bearer token, errors as ApiError
// with the server's {error: {code, message}}, and uploads through XMLHttpRequest for their
// progress events.

/** An HTTP error answer, or a network failure (status 0). */
export class ApiError extends Error {
    constructor(status, code, message) {
        super(message);
        this.name = 'ApiError';
        this.status = status;
        this.code = code;
    }
}

let currentToken = null;
let unauthorizedHandler = () => {};

export function setToken(token) {
    currentToken = token;
}

/** Called with the ApiError when the server refuses the token (401). */
export function onUnauthorized(handler) {
    unauthorizedHandler = handler;
}

function errorFrom(status, text) {
    let code = 'http_error';
    let message = `The server answered ${status}.`;
    try {
        const body = JSON.parse(text);
        if (body?.error && typeof body.error === 'object') {
            if (typeof body.error.code === 'string') code = body.error.code;
            if (typeof body.error.message === 'string' && body.error.message) message = body.error.message;
        }
    } catch {
        // not JSON: keep the generic message
    }
    const error = new ApiError(status, code, message);
    if (status === 401) unauthorizedHandler(error);
    return error;
}

/** A JSON request; resolves with the parsed body, rejects with ApiError. */
export async function request(method, path, { json, timeoutMs = 15000 } = {}) {
    const headers = { accept: 'application/json' };
    if (currentToken) headers.authorization = `Bearer ${currentToken}`;
    let body;
    if (json !== undefined) {
        headers['content-type'] = 'application/json';
        body = JSON.stringify(json);
    }
    let response;
    try {
        response = await fetch(path, { method, headers, body, cache: 'no-store', signal: AbortSignal.timeout(timeoutMs) });
    } catch (error) {
        throw new ApiError(0, 'network', error?.name === 'TimeoutError'
            ? 'The server did not answer in time.' : 'The server cannot be reached.');
    }
    const text = await response.text();
    if (!response.ok) throw errorFrom(response.status, text);
    try {
        return text ? JSON.parse(text) : null;
    } catch {
        throw new ApiError(response.status, 'bad_response', 'The server sent an answer this page does not understand.');
    }
}

export const api = {
    videos: () => request('GET', '/api/v1/videos'),
    video: (id) => request('GET', `/api/v1/videos/${encodeURIComponent(id)}`),
    analyze: (id) => request('POST', `/api/v1/videos/${encodeURIComponent(id)}/analyze`),
    cancel: (id) => request('POST', `/api/v1/videos/${encodeURIComponent(id)}/cancel`),
    analysis: (id) => request('GET', `/api/v1/videos/${encodeURIComponent(id)}/analysis`),
    chatHistory: (sessionId, limit) =>
        request('GET', `/api/v1/chat/${encodeURIComponent(sessionId)}/messages?limit=${limit}`),
};

/**
 * A same-origin address for what cannot send headers (an <img>'s src), with the token as a
 * query parameter when it is an API address. Anything not on this server gives null.
 */
export function withToken(url) {
    if (typeof url !== 'string' || !url) return null;
    let parsed;
    try {
        parsed = new URL(url, window.location.origin);
    } catch {
        return null;
    }
    if (parsed.origin !== window.location.origin) return null;
    if (currentToken && parsed.pathname.startsWith('/api/')) parsed.searchParams.set('token', currentToken);
    return parsed.pathname + parsed.search;
}

/**
 * Uploads a file as multipart/form-data field "file". Returns {promise, abort}; the promise
 * resolves with the video (201 body) and rejects with ApiError ("aborted" after abort()).
 * `onProgress(sentBytes, totalBytes)` follows the request body as it leaves the browser.
 */
export function uploadVideo(file, { onProgress } = {}) {
    const xhr = new XMLHttpRequest();
    const promise = new Promise((resolve, reject) => {
        xhr.open('POST', '/api/v1/videos');
        if (currentToken) xhr.setRequestHeader('Authorization', `Bearer ${currentToken}`);
        xhr.setRequestHeader('Accept', 'application/json');
        xhr.upload.addEventListener('progress', (event) => {
            if (event.lengthComputable) onProgress?.(event.loaded, event.total);
        });
        xhr.addEventListener('load', () => {
            if (xhr.status === 201 || xhr.status === 200) {
                try {
                    resolve(JSON.parse(xhr.responseText));
                } catch {
                    reject(new ApiError(xhr.status, 'bad_response', 'The server sent an answer this page does not understand.'));
                }
            } else {
                reject(errorFrom(xhr.status, xhr.responseText));
            }
        });
        xhr.addEventListener('error', () => reject(new ApiError(0, 'network', 'The connection to the server broke during the upload.')));
        xhr.addEventListener('abort', () => reject(new ApiError(0, 'aborted', 'Upload cancelled.')));
        const form = new FormData();
        form.append('file', file, file.name);
        xhr.send(form);
    });
    return { promise, abort: () => xhr.abort() };
}
