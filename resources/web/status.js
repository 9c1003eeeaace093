// Shows whether the server is up; the full browser client replaces this page.
const statusEl = document.getElementById('status');

function formatDuration(seconds) {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return h > 0 ? `${h} h ${m} min` : m > 0 ? `${m} min ${s} s` : `${s} s`;
}

async function refresh() {
  try {
    const response = await fetch('/api/v1/health', { cache: 'no-store' });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const health = await response.json();
    statusEl.textContent = health.status === 'ok' ? 'The server is running.' : `The server reports: ${health.status}`;
    statusEl.className = health.status === 'ok' ? 'ok' : 'bad';
    document.getElementById('version').textContent = health.version;
    document.getElementById('uptime').textContent = formatDuration(health.uptime_s);
    document.getElementById('connections').textContent = String(health.connections);
    document.getElementById('storage').textContent = health.storage === 'redis' ? `Redis (${health.redis})` : 'embedded file store';
    document.getElementById('details').hidden = false;
  } catch (error) {
    statusEl.textContent = `The server cannot be reached (${error.message}).`;
    statusEl.className = 'bad';
  }
}

refresh();
setInterval(refresh, 5000);
