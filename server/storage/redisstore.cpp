#include "redisstore.h"

#include "server/core/logging.h"
#include "server/storage/lrucache.h"
#include "server/storage/storeutil.h"

#include <QElapsedTimer>
#include <QFile>
#include <QHostAddress>
#include <QHostInfo>
#include <QMap>
#include <QRandomGenerator>
#include <QTimer>
#include <QUrl>
#include <QUrlQuery>
#include <QUuid>

#include <hiredis/async.h>
#include <hiredis/hiredis.h>
// hiredis's Qt adapter uses the `slots` keyword, which QT_NO_KEYWORDS turns off.
#define slots Q_SLOTS
#include <hiredis/adapters/qt.h>
#undef slots

#include <algorithm>
#include <deque>
#include <functional>
#include <vector>

#include <sys/time.h>

namespace mmv::storage {

namespace {

using Args = QList<QByteArray>;

// Resending a write whose reply was lost with the connection: Redis may or may not have
// applied it. These scripts apply it only if it is not there yet. Streams: each entry carries
// a unique field "u"; lists: the same value among the last entries counts as there.

// KEYS[1] stream; ARGV: uid, json, maxlen, how many entries to look at at most, this
// instance's uid prefix. Looks back from the newest entry in small batches and stops at the
// first entry of this instance older than the uid (uids count up, and Redis applies one
// connection's commands in order: the write would be newer than that).
constexpr char StreamAddOnce[] = R"lua(
local uid, window, prefix = ARGV[1], tonumber(ARGV[4]), ARGV[5]
local counter = tonumber(string.sub(uid, #prefix + 1))
local last, seen, older = '+', 0, false
while seen < window and not older do
  local batch = redis.call('XREVRANGE', KEYS[1], last, '-', 'COUNT', 64)
  local first = 1
  if last ~= '+' then first = 2 end
  if #batch < first then break end
  for i = first, #batch do
    local fields = batch[i][2]
    for j = 1, #fields - 1, 2 do
      if fields[j] == 'u' then
        local u = fields[j + 1]
        if u == uid then return 0 end
        if string.sub(u, 1, #prefix) == prefix then
          local c = tonumber(string.sub(u, #prefix + 1))
          if c and counter and c < counter then older = true end
        end
        break
      end
    end
    last = batch[i][1]
    seen = seen + 1
    if older or seen >= window then break end
  end
end
redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[3], '*', 'u', uid, 'm', ARGV[2])
return 1
)lua";

// KEYS[1] list; ARGV: value, how many entries to look at.
constexpr char ListPushOnce[] = R"lua(
local items = redis.call('LRANGE', KEYS[1], -tonumber(ARGV[2]), -1)
for i = 1, #items do
  if items[i] == ARGV[1] then return 0 end
end
redis.call('RPUSH', KEYS[1], ARGV[1])
return 1
)lua";

// The registry of one instance: a hash of its connections that expires unless refreshed, and
// a sorted set of instances scored by when their hash expires (server time, so the clocks of
// the instances do not matter).
// KEYS[1] instances, KEYS[2] the instance's hash; ARGV: instance id, ttl ms, "1" to empty the
// hash first, then field/value pairs to set.
constexpr char RegistryTouch[] = R"lua(
if ARGV[3] == '1' then redis.call('DEL', KEYS[2]) end
if #ARGV > 3 then redis.call('HSET', KEYS[2], unpack(ARGV, 4)) end
if redis.call('EXISTS', KEYS[2]) == 1 then
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  redis.call('PEXPIRE', KEYS[2], ARGV[2])
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
else
  redis.call('ZREM', KEYS[1], ARGV[1])
end
return 1
)lua";

// KEYS[1] instances; ARGV[1] the prefix of the instance hashes. Every live connection.
constexpr char RegistryList[] = R"lua(
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local out = {}
local instances = redis.call('ZRANGE', KEYS[1], 0, -1)
for i = 1, #instances do
  local values = redis.call('HVALS', ARGV[1] .. instances[i])
  for j = 1, #values do out[#out + 1] = values[j] end
end
return out
)lua";

// Field/value pairs per registry command (Lua's unpack() has a limit of about 8000 values).
constexpr int RegistryChunk = 500;

/// Errors after which the same command may succeed later: keep the write and reconnect.
bool isTransientError(const QByteArray &message)
{
    static const char *const prefixes[]
        = { "LOADING",     "BUSY",    "TRYAGAIN", "MASTERDOWN", "READONLY", "NOAUTH",
            "CLUSTERDOWN", "MISCONF", "OOM",      "NOREPLICAS", "UNBLOCKED" };
    return std::any_of(std::begin(prefixes), std::end(prefixes),
                       [&](const char *prefix) { return message.startsWith(prefix); });
}

QByteArray replyText(const redisReply &reply)
{
    return QByteArray(reply.str, qsizetype(reply.len));
}

timeval toTimeval(int ms)
{
    return timeval{ ms / 1000, (ms % 1000) * 1000 };
}

qint64 sizeOf(const Args &argv)
{
    qint64 bytes = 0;
    for (const QByteArray &arg : argv)
        bytes += arg.size();
    return bytes;
}

/// hiredis's Qt adapter, plus a way to let go of a context that hiredis frees: the adapter's
/// destructor writes to its context, so before that it must point at one that still exists.
class QtAdapter final : public RedisQtAdapter
{
public:
    void detach() { setContext(&m_detached); }

private:
    redisAsyncContext m_detached{};
};

} // namespace

// ---------------------------------------------------------------------------------------------

Result<RedisEndpoint> RedisEndpoint::parse(const QString &text)
{
    const auto invalid = [&](const QString &why) {
        return AppError{ ErrorCode::InvalidArgument,
                         QStringLiteral("invalid Redis URL: %1 (expected "
                                        "redis://[:password@]host[:port][/db] or "
                                        "unix:///path/to/redis.sock)")
                             .arg(why) };
    };
    const QUrl url(text.trimmed(), QUrl::StrictMode);
    if (!url.isValid())
        return invalid(url.errorString());

    RedisEndpoint endpoint;
    const QUrlQuery query(url);
    for (const auto &[key, value] : query.queryItems(QUrl::FullyDecoded)) {
        if (key == u"password")
            endpoint.password = value;
        else if (key != u"db")
            return invalid(QStringLiteral("unknown parameter '%1'").arg(key));
    }
    QString db = query.queryItemValue(QStringLiteral("db"), QUrl::FullyDecoded);

    if (url.scheme() == u"redis") {
        if (url.host().isEmpty())
            return invalid(QStringLiteral("no host"));
        endpoint.host = url.host(QUrl::FullyDecoded);
        const int port = url.port(6379);
        if (port <= 0 || port > 65535)
            return invalid(QStringLiteral("bad port"));
        endpoint.port = quint16(port);
        endpoint.username = url.userName(QUrl::FullyDecoded);
        if (url.password().size() > 0 || !url.userInfo().isEmpty())
            endpoint.password = url.password(QUrl::FullyDecoded);
        if (!endpoint.username.isEmpty() && endpoint.password.isEmpty())
            return invalid(QStringLiteral("a user needs a password (redis://user:password@...)"));
        const QString path = url.path(QUrl::FullyDecoded);
        if (path.size() > 1) {
            if (!db.isEmpty())
                return invalid(QStringLiteral("two database numbers"));
            db = path.mid(1);
        }
    } else if (url.scheme() == u"unix") {
        if (!url.host().isEmpty() || url.port() != -1 || !url.userInfo().isEmpty())
            return invalid(QStringLiteral("a unix URL has no host (unix:///path)"));
        endpoint.socketPath = url.path(QUrl::FullyDecoded);
        if (endpoint.socketPath.isEmpty())
            return invalid(QStringLiteral("no socket path"));
    } else if (url.scheme() == u"rediss") {
        return invalid(QStringLiteral("TLS (rediss://) is not supported"));
    } else {
        return invalid(QStringLiteral("unknown scheme '%1'").arg(url.scheme()));
    }

    if (!db.isEmpty()) {
        bool ok = false;
        endpoint.db = db.toInt(&ok);
        if (!ok || endpoint.db < 0)
            return invalid(QStringLiteral("bad database number '%1'").arg(db));
    }
    return endpoint;
}

QString RedisEndpoint::displayName() const
{
    QString name = socketPath.isEmpty()
        ? (host.contains(u':') ? u'[' + host + u']' : host) + u':' + QString::number(port)
        : socketPath;
    if (db != 0)
        name += u'/' + QString::number(db);
    return name;
}

// ---------------------------------------------------------------------------------------------

struct RedisStore::Private
{
    enum class State {
        Idle, // not opened yet
        Connecting, // a context exists, the handshake is under way
        Connected,
        Down, // waiting to reconnect
        Closed,
    };
    enum class Control { Handshake, Ready, Registry };

    /// A read waiting for Redis; answered exactly once, by Redis or by the fallback.
    struct PendingRead
    {
        bool answered = false;
        std::function<void(const redisReply &)> handle;
        std::function<void()> fallback;

        void answer(const redisReply *reply)
        {
            if (answered)
                return;
            answered = true;
            if (reply)
                handle(*reply);
            else
                fallback();
        }
    };

    /// How a write is sent again after its reply was lost with the connection.
    enum class Replay {
        AsIs, // idempotent (SET, DEL)
        StreamAddOnce, // XADD key MAXLEN ~ n * u <uid> m <json>
        ListPushOnce, // RPUSH key <json>
    };

    /// One command of the ordered queue: a write, or a read (`read` set).
    struct Op
    {
        quint64 seq = 0;
        Args argv;
        Replay replay = Replay::AsIs;
        std::shared_ptr<PendingRead> read;
        qint64 bytes = 0;
        bool sent = false; // on the current connection, reply pending
        bool ambiguous = false; // sent on a connection that died before the reply
    };

    /// A command sent on the current connection; replies come in the same order.
    struct Sent
    {
        bool op = false; // the front of the queue, else a control command
        Control control = Control::Handshake;
        quint64 seq = 0;
        qint64 at = 0;
    };

    struct ChatCache
    {
        std::deque<QJsonObject> messages;
        quint64 lastWrite = 0;
    };
    struct StatusCache
    {
        std::optional<QJsonObject> status;
        quint64 lastWrite = 0;
    };

    Private(RedisStore *store, const QString &url, const Options &options)
        : q(store)
        , endpoint(RedisEndpoint::parse(url))
        , o(options)
        , chatCache(std::max(1, options.cacheSessions))
        , statusCache(std::max(1, options.cacheVideos))
    {
        o.maxInFlight = std::max(1, o.maxInFlight);
        o.chatMaxLen = std::max(1, o.chatMaxLen);
        o.journalMaxLen = std::max(1, o.journalMaxLen);
        o.reconnectMinMs = std::max(1, o.reconnectMinMs);
        o.reconnectMaxMs = std::max(o.reconnectMinMs, o.reconnectMaxMs);
        instance
            = o.instanceId.isEmpty() ? QUuid::createUuid().toString(QUuid::Id128) : o.instanceId;
        clock.start();

        reconnectTimer.setSingleShot(true);
        QObject::connect(&reconnectTimer, &QTimer::timeout, q, [this] { connectNow(); });
        connectTimer.setSingleShot(true);
        QObject::connect(&connectTimer, &QTimer::timeout, q, [this] {
            if (state != State::Connecting)
                return;
            if (resolving) {
                resolving = false;
                ++lookupGeneration; // ignore the late answer
                wentDown(QStringLiteral("no address for %1 within %2 ms")
                             .arg(endpoint.value().host)
                             .arg(o.connectTimeoutMs));
                return;
            }
            failConnection(QStringLiteral("no answer within %1 ms").arg(o.connectTimeoutMs));
        });
        refreshTimer.setInterval(std::max(10, o.registryRefreshMs));
        QObject::connect(&refreshTimer, &QTimer::timeout, q, [this] {
            if (canSend())
                sendControl(registryTouch(false), Control::Registry);
        });
        watchdog.setInterval(std::clamp(o.commandTimeoutMs / 4, 50, 1000));
        QObject::connect(&watchdog, &QTimer::timeout, q, [this] {
            if (ctx && !sent.empty() && clock.elapsed() - sent.front().at > o.commandTimeoutMs)
                failConnection(QStringLiteral("no reply for %1 ms").arg(o.commandTimeoutMs));
            logDrops();
        });
    }

    // --- keys ---------------------------------------------------------------------------

    QByteArray key(const QString &suffix) const { return QString(o.keyPrefix + suffix).toUtf8(); }
    QByteArray chatKey(const QString &id) const { return key(QStringLiteral("chat:") + id); }
    QByteArray statusKey(const QString &id) const { return key(QStringLiteral("status:") + id); }
    QByteArray resultsKey(const QString &id) const { return key(QStringLiteral("results:") + id); }
    QByteArray journalKey() const { return key(QStringLiteral("journal")); }
    QByteArray instancesKey() const { return key(QStringLiteral("instances")); }
    QByteArray registryKey() const { return key(QStringLiteral("conn:") + instance); }
    /// Unique per write of this instance, counting up: "<instance>:<n>".
    QByteArray uidPrefix() const { return instance.toUtf8() + ':'; }
    QByteArray nextUid() { return uidPrefix() + QByteArray::number(nextUidValue++); }
    /// How far back a resent write looks for itself at most: everything that can be in flight,
    /// and room for what other instances wrote meanwhile.
    QByteArray dedupeWindow() const { return QByteArray::number(std::max(2 * o.maxInFlight, 512)); }

    Args registryTouch(bool reset) const
    {
        return { "EVAL",
                 RegistryTouch,
                 "2",
                 instancesKey(),
                 registryKey(),
                 instance.toUtf8(),
                 QByteArray::number(o.registryTtlMs),
                 reset ? "1" : "0" };
    }

    // --- replies to the caller ----------------------------------------------------------

    template<typename T>
    void deliver(Reply<T> reply, Result<T> result)
    {
        if (!reply)
            return;
        // Always from the event loop: the caller never runs inside a hiredis callback, so it
        // may call the store again, close it or delete it.
        QMetaObject::invokeMethod(
            q, [reply = std::move(reply), result = std::move(result)] { reply(result); },
            Qt::QueuedConnection);
    }

    static AppError unavailable(const QString &what)
    {
        return AppError{ ErrorCode::Unavailable,
                         QStringLiteral("Redis is unavailable and %1 is not cached").arg(what) };
    }

    void dropWrite(const AppError &error)
    {
        ++dropped;
        if (errorLog.allow())
            qCWarning(lcRedis).noquote() << "write refused:" << error.message;
    }

    // --- the queue ----------------------------------------------------------------------

    bool canSend() const { return ctx && !dying && state == State::Connected; }

    /// Reads wait for Redis unless it is known to be unreachable right now.
    bool readsGoToRedis() const
    {
        switch (state) {
        case State::Connected:
            return !dying;
        case State::Idle:
        case State::Connecting:
            return !hadFailure;
        case State::Down:
        case State::Closed:
            return false;
        }
        return false;
    }

    void enqueueWrite(Args argv, Replay replay = Replay::AsIs)
    {
        if (state == State::Closed) {
            dropWrite(AppError{ ErrorCode::Unavailable, QStringLiteral("the store is closed") });
            return;
        }
        Op op;
        op.seq = nextSeq++;
        op.bytes = sizeOf(argv);
        op.argv = std::move(argv);
        op.replay = replay;
        ++queuedWrites;
        queuedBytes += op.bytes;
        queue.push_back(std::move(op));
        enforceLimits();
        pump();
    }

    void enqueueRead(Args argv, std::function<void(const redisReply &)> handle,
                     std::function<void()> fallback)
    {
        auto read = std::make_shared<PendingRead>();
        read->handle = std::move(handle);
        read->fallback = std::move(fallback);
        if (!readsGoToRedis()) {
            read->answer(nullptr);
            return;
        }
        Op op;
        op.seq = nextSeq++;
        op.argv = std::move(argv);
        op.read = read;
        queue.push_back(std::move(op));
        QTimer::singleShot(o.readTimeoutMs, q, [read] { read->answer(nullptr); });
        pump();
    }

    /// Drops the oldest writes not yet sent while the queue is over its limits.
    void enforceLimits()
    {
        while (queuedWrites > o.bufferLimit || queuedBytes > o.bufferBytesLimit) {
            const auto oldest = std::find_if(queue.begin() + sentOps, queue.end(),
                                             [](const Op &op) { return !op.read; });
            if (oldest == queue.end())
                break;
            --queuedWrites;
            queuedBytes -= oldest->bytes;
            queue.erase(oldest);
            ++dropped;
            ++droppedUnlogged;
        }
        logDrops();
    }

    void logDrops()
    {
        if (droppedUnlogged == 0 || !dropLog.allow())
            return;
        qCWarning(lcRedis).nospace() << "Redis write buffer full: dropped the " << droppedUnlogged
                                     << " oldest buffered writes (" << dropped << " in total)";
        droppedUnlogged = 0;
    }

    void popFront()
    {
        const Op &op = queue.front();
        if (op.sent)
            --sentOps;
        if (!op.read) {
            --queuedWrites;
            queuedBytes -= op.bytes;
        }
        queue.pop_front();
    }

    /// Sends queued commands in order, keeping at most maxInFlight unanswered.
    void pump()
    {
        while (canSend() && sentOps < qsizetype(queue.size()) && sentOps < o.maxInFlight) {
            Op &op = queue[size_t(sentOps)];
            if (op.read && op.read->answered) { // timed out before it could be sent
                queue.erase(queue.begin() + sentOps);
                continue;
            }
            if (!send(op.ambiguous ? resendForm(op) : op.argv,
                      Sent{ true, Control::Handshake, op.seq, 0 })) {
                failConnection(QStringLiteral("hiredis refused a command"));
                return;
            }
            op.sent = true;
            ++sentOps;
        }
    }

    /// The form of a write that Redis may already have applied: applies it only if not.
    Args resendForm(const Op &op) const
    {
        switch (op.replay) {
        case Replay::AsIs:
            break;
        case Replay::StreamAddOnce:
            return { "EVAL",        StreamAddOnce,  "1",
                     op.argv.at(1), op.argv.at(7),  op.argv.at(9),
                     op.argv.at(4), dedupeWindow(), uidPrefix() };
        case Replay::ListPushOnce:
            return { "EVAL", ListPushOnce, "1", op.argv.at(1), op.argv.at(2), dedupeWindow() };
        }
        return op.argv;
    }

    bool send(const Args &argv, Sent record)
    {
        std::vector<const char *> pointers;
        std::vector<size_t> lengths;
        pointers.reserve(size_t(argv.size()));
        lengths.reserve(size_t(argv.size()));
        for (const QByteArray &arg : argv) {
            pointers.push_back(arg.constData());
            lengths.push_back(size_t(arg.size()));
        }
        if (redisAsyncCommandArgv(ctx, &Private::onReply, this, int(argv.size()), pointers.data(),
                                  lengths.data())
            != REDIS_OK)
            return false;
        record.at = clock.elapsed();
        sent.push_back(record);
        return true;
    }

    void sendControl(const Args &argv, Control control)
    {
        if (!ctx || dying)
            return;
        if (!send(argv, Sent{ false, control, 0, 0 }))
            failConnection(QStringLiteral("hiredis refused a command"));
    }

    /// The connection is going away: what was sent may or may not have been applied.
    /// Writes go back to unsent (resent later in their place, in the form that cannot apply
    /// twice); reads answer from the cache now.
    void abandonInFlight()
    {
        dying = true;
        for (auto it = queue.begin(); it != queue.end();) {
            if (it->read) {
                const std::shared_ptr<PendingRead> read = it->read;
                it = queue.erase(it);
                read->answer(nullptr);
                continue;
            }
            if (it->sent) {
                it->sent = false;
                it->ambiguous = true;
            }
            ++it;
        }
        sentOps = 0;
    }

    // --- hiredis callbacks --------------------------------------------------------------

    static void onReply(redisAsyncContext *, void *reply, void *privdata)
    {
        static_cast<Private *>(privdata)->handleReply(static_cast<const redisReply *>(reply));
    }

    static void onConnect(const redisAsyncContext *ac, int status)
    {
        if (status != REDIS_OK) // hiredis frees the context when this returns
            static_cast<Private *>(ac->data)->contextGone(ac, QString::fromUtf8(ac->errstr));
    }

    static void onDisconnect(const redisAsyncContext *ac, int status)
    {
        auto *self = static_cast<Private *>(ac->data);
        QString reason = status == REDIS_OK ? self->failReason : QString::fromUtf8(ac->errstr);
        if (reason.isEmpty())
            reason = QStringLiteral("connection closed");
        self->contextGone(ac, reason);
    }

    void handleReply(const redisReply *reply)
    {
        if (sent.empty()) {
            qCWarning(lcRedis) << "a reply for no command; ignored";
            return;
        }
        const Sent record = sent.front();
        sent.pop_front();
        if (!reply) { // no reply: the connection is being freed
            abandonInFlight();
            return;
        }
        if (dying)
            return;
        if (record.op)
            handleOpReply(record, *reply);
        else
            handleControlReply(record.control, *reply);
    }

    void handleOpReply(const Sent &record, const redisReply &reply)
    {
        if (queue.empty() || queue.front().seq != record.seq) {
            qCCritical(lcRedis) << "replies out of step with the queue; reconnecting";
            failConnection(QStringLiteral("replies out of step"));
            return;
        }
        Op &op = queue.front();
        if (op.read) {
            const std::shared_ptr<PendingRead> read = op.read;
            popFront();
            read->answer(&reply);
        } else if (reply.type == REDIS_REPLY_ERROR) {
            const QByteArray message = replyText(reply);
            if (isTransientError(message)) {
                op.sent = false; // not applied: send it again, as it is, after reconnecting
                failConnection(QStringLiteral("Redis answered %1").arg(QString::fromUtf8(message)));
                return;
            }
            popFront();
            ++dropped;
            if (errorLog.allow())
                qCWarning(lcRedis).noquote()
                    << "Redis refused a write:" << QString::fromUtf8(message)
                    << QStringLiteral("(%1 writes lost in total)").arg(dropped);
        } else {
            if (op.ambiguous && op.replay != Replay::AsIs && reply.type == REDIS_REPLY_INTEGER
                && reply.integer == 0)
                qCDebug(lcRedis)
                    << "a write resent after a lost reply had been applied; not repeated";
            popFront();
        }
        pump();
    }

    void handleControlReply(Control control, const redisReply &reply)
    {
        const bool error = reply.type == REDIS_REPLY_ERROR;
        switch (control) {
        case Control::Handshake:
            if (error)
                failConnection(QStringLiteral("Redis refused the connection setup: %1")
                                   .arg(QString::fromUtf8(replyText(reply))));
            break;
        case Control::Ready:
            if (error)
                failConnection(QStringLiteral("Redis is not ready: %1")
                                   .arg(QString::fromUtf8(replyText(reply))));
            else
                becomeReady();
            break;
        case Control::Registry:
            if (error && errorLog.allow())
                qCWarning(lcRedis).noquote()
                    << "connection registry update failed:" << QString::fromUtf8(replyText(reply));
            break;
        }
    }

    // --- connection life cycle ----------------------------------------------------------

    void connectNow()
    {
        if (state == State::Closed || ctx || resolving)
            return;
        const RedisEndpoint &e = endpoint.value();
        if (!e.socketPath.isEmpty() || !QHostAddress(e.host).isNull()) {
            connectTo(e.host);
            return;
        }
        // hiredis would resolve the name with a blocking getaddrinfo() in this thread: look it
        // up on Qt's lookup thread instead, then connect to an address (the next one on each
        // attempt, so that a name with an unreachable first address still works).
        resolving = true;
        state = State::Connecting;
        const quint64 lookup = ++lookupGeneration;
        connectTimer.start(o.connectTimeoutMs);
        QHostInfo::lookupHost(e.host, q, [this, lookup](const QHostInfo &info) {
            if (lookup != lookupGeneration || state == State::Closed)
                return;
            resolving = false;
            connectTimer.stop();
            if (info.error() != QHostInfo::NoError || info.addresses().isEmpty()) {
                wentDown(QStringLiteral("cannot resolve %1: %2")
                             .arg(endpoint.value().host, info.errorString()));
                return;
            }
            const QList<QHostAddress> addresses = info.addresses();
            connectTo(
                addresses.at(qsizetype(addressRotation++ % quint64(addresses.size()))).toString());
        });
    }

    /// Connects to `host` (an address) or, for a unix:// endpoint, to the socket.
    void connectTo(const QString &host)
    {
        const RedisEndpoint &e = endpoint.value();
        if (!sent.empty()) {
            qCWarning(lcRedis) << sent.size() << "commands of an old connection unanswered";
            sent.clear();
        }
        redisAsyncContext *ac = e.socketPath.isEmpty()
            ? redisAsyncConnect(host.toUtf8().constData(), e.port)
            : redisAsyncConnectUnix(QFile::encodeName(e.socketPath).constData());
        if (!ac || ac->err) {
            const QString error = ac ? QString::fromUtf8(ac->errstr) : QStringLiteral("no memory");
            if (ac)
                redisAsyncFree(ac);
            wentDown(error);
            return;
        }
        ac->data = this;
        adapter = new QtAdapter;
        adapter->setContext(ac);
        ctx = ac;
        dying = false;
        failReason.clear();
        state = State::Connecting;
        redisAsyncSetConnectCallback(ac, &Private::onConnect);
        redisAsyncSetDisconnectCallback(ac, &Private::onDisconnect);
        // Pipelined behind the connect: hiredis sends them once the socket is connected.
        if (!e.password.isEmpty()) {
            sendControl(e.username.isEmpty()
                            ? Args{ "AUTH", e.password.toUtf8() }
                            : Args{ "AUTH", e.username.toUtf8(), e.password.toUtf8() },
                        Control::Handshake);
        }
        if (e.db != 0)
            sendControl({ "SELECT", QByteArray::number(e.db) }, Control::Handshake);
        // PING answers only once Redis has loaded its data set (LOADING before).
        sendControl({ "PING" }, Control::Ready);
        connectTimer.start(o.connectTimeoutMs);
    }

    void becomeReady()
    {
        connectTimer.stop();
        state = State::Connected;
        attempt = 0;
        if (warnedDown)
            qCInfo(lcRedis).noquote().nospace()
                << "Redis at " << endpoint.value().displayName() << " is back; writing "
                << queuedWrites << " buffered writes";
        else
            qCInfo(lcRedis).noquote().nospace()
                << "connected to Redis at " << endpoint.value().displayName();
        warnedDown = false;
        syncRegistry();
        setUp(true);
        pump();
    }

    /// Writes this instance's whole registry (Redis may have lost it, or it expired).
    void syncRegistry()
    {
        auto it = connections.cbegin();
        bool first = true;
        do {
            Args argv = registryTouch(first);
            for (int n = 0; n < RegistryChunk && it != connections.cend(); ++n, ++it)
                argv << it.key().toUtf8() << it.value();
            sendControl(argv, Control::Registry);
            first = false;
        } while (it != connections.cend());
    }

    /// Frees the current context (now, or when the running hiredis callback returns).
    void failConnection(const QString &reason)
    {
        if (!ctx)
            return;
        failReason = reason;
        abandonInFlight();
        redisAsyncContext *ac = ctx;
        if (ac->c.flags & REDIS_IN_CALLBACK) {
            // hiredis frees it after the callback; onDisconnect follows if it was connected.
            redisAsyncFree(ac);
            QTimer::singleShot(0, q, [this, ac, reason] { contextGone(ac, reason); });
        } else {
            redisAsyncFree(ac);
            contextGone(ac, reason);
        }
    }

    /// The context `ac` is freed or being freed by hiredis: never touch it again. `ac` is only
    /// compared, so this may run (again) after it was freed.
    void contextGone(const redisAsyncContext *ac, const QString &reason)
    {
        if (!ctx || ctx != ac)
            return;
        ctx = nullptr;
        if (adapter) {
            adapter->detach();
            // hiredis may still call the adapter's cleanup after this callback returns.
            if (state == State::Closed)
                delete adapter; // close(): no hiredis call is on the stack
            else
                adapter->deleteLater();
            adapter = nullptr;
        }
        connectTimer.stop();
        abandonInFlight();
        wentDown(reason);
    }

    void wentDown(const QString &reason)
    {
        const bool wasUp = up;
        hadFailure = true;
        setUp(false);
        if (state == State::Closed)
            return;
        state = State::Down;
        if (!warnedDown) {
            qCWarning(lcRedis).noquote().nospace()
                << (wasUp ? "lost Redis at " : "cannot reach Redis at ")
                << endpoint.value().displayName() << ": " << reason
                << "; writes are buffered while retrying";
            warnedDown = true;
        } else {
            qCDebug(lcRedis).noquote() << "Redis still unreachable:" << reason;
        }
        scheduleReconnect();
    }

    void scheduleReconnect()
    {
        if (state == State::Closed || reconnectTimer.isActive())
            return;
        const qint64 base
            = std::min<qint64>(o.reconnectMaxMs, qint64(o.reconnectMinMs) << std::min(attempt, 20));
        ++attempt;
        // +-20 % so that many instances do not all reconnect in the same instant.
        const qint64 jittered = base * (80 + QRandomGenerator::global()->bounded(41)) / 100;
        reconnectTimer.start(int(std::clamp<qint64>(jittered, 1, o.reconnectMaxMs)));
    }

    void setUp(bool value)
    {
        if (up == value)
            return;
        up = value;
        const QString health = q->health();
        QMetaObject::invokeMethod(
            q, [store = q, health] { Q_EMIT store->healthChanged(health); }, Qt::QueuedConnection);
    }

    // --- shutdown -----------------------------------------------------------------------

    void close()
    {
        if (state == State::Closed)
            return;
        const bool wasUp = up;
        state = State::Closed;
        reconnectTimer.stop();
        connectTimer.stop();
        refreshTimer.stop();
        watchdog.stop();
        abandonInFlight();
        if (ctx) {
            redisAsyncContext *ac = ctx;
            failReason = QStringLiteral("closing");
            redisAsyncFree(ac);
            contextGone(ac, failReason);
        }
        flushOnClose(wasUp);
        logDrops();
    }

    /// Writes what is still queued on a blocking connection, bounded by closeTimeoutMs, and
    /// removes this instance's connections from the registry.
    void flushOnClose(bool wasUp)
    {
        const qsizetype writes = queuedWrites;
        if (writes == 0 && connections.isEmpty())
            return;
        qsizetype written = 0;
        QString problem;
        if (!wasUp) {
            problem = QStringLiteral("Redis is down");
        } else if (endpoint) {
            written = writeSynchronously(problem);
        }
        queue.clear();
        queuedWrites = 0;
        queuedBytes = 0;
        sentOps = 0;
        if (written < writes) {
            dropped += writes - written;
            qCWarning(lcRedis).noquote()
                << writes - written << "buffered writes lost at shutdown:" << problem;
        }
    }

    qsizetype writeSynchronously(QString &problem)
    {
        const RedisEndpoint &e = endpoint.value();
        const int budget = std::max(100, o.closeTimeoutMs);
        QElapsedTimer timer;
        timer.start();
        redisContext *c = e.socketPath.isEmpty()
            ? redisConnectWithTimeout(e.host.toUtf8().constData(), e.port, toTimeval(budget))
            : redisConnectUnixWithTimeout(QFile::encodeName(e.socketPath).constData(),
                                          toTimeval(budget));
        if (!c || c->err) {
            problem = c ? QString::fromUtf8(c->errstr) : QStringLiteral("no memory");
            if (c)
                redisFree(c);
            return 0;
        }
        redisSetTimeout(c, toTimeval(budget));

        const auto append = [c](const Args &argv) {
            std::vector<const char *> pointers;
            std::vector<size_t> lengths;
            for (const QByteArray &arg : argv) {
                pointers.push_back(arg.constData());
                lengths.push_back(size_t(arg.size()));
            }
            redisAppendCommandArgv(c, int(argv.size()), pointers.data(), lengths.data());
        };
        int handshake = 0;
        if (!e.password.isEmpty()) {
            append(e.username.isEmpty() ? Args{ "AUTH", e.password.toUtf8() }
                                        : Args{ "AUTH", e.username.toUtf8(), e.password.toUtf8() });
            ++handshake;
        }
        if (e.db != 0) {
            append({ "SELECT", QByteArray::number(e.db) });
            ++handshake;
        }
        qsizetype writes = 0;
        for (const Op &op : queue) {
            if (op.read)
                continue;
            append(op.ambiguous ? resendForm(op) : op.argv);
            ++writes;
        }
        if (!connections.isEmpty())
            append(registryTouch(true)); // empties the hash and leaves the instance set

        const qsizetype registry = connections.isEmpty() ? 0 : 1;
        qsizetype written = 0;
        // Replies come in order: the handshake, the queued writes, the registry clean-up.
        for (qsizetype i = 0; i < handshake + writes + registry; ++i) {
            if (timer.elapsed() > budget) {
                problem = QStringLiteral("no answer within %1 ms").arg(budget);
                break;
            }
            void *raw = nullptr;
            if (redisGetReply(c, &raw) != REDIS_OK || !raw) {
                problem = QString::fromUtf8(c->errstr);
                break;
            }
            const auto *reply = static_cast<const redisReply *>(raw);
            const bool error = reply->type == REDIS_REPLY_ERROR;
            if (error)
                problem
                    = QStringLiteral("Redis answered %1").arg(QString::fromUtf8(replyText(*reply)));
            freeReplyObject(raw);
            if (i < handshake && error)
                break; // AUTH or SELECT failed: nothing after it counts
            if (i >= handshake && i < handshake + writes && !error)
                ++written;
        }
        redisFree(c);
        return written;
    }

    // --- caches -------------------------------------------------------------------------

    void cacheChatWrite(const QString &sessionId, const QJsonObject &message)
    {
        ChatCache &entry = chatCache.findOrInsert(sessionId);
        entry.messages.push_back(message);
        while (entry.messages.size() > size_t(std::max(0, o.cacheChatPerSession)))
            entry.messages.pop_front();
        entry.lastWrite = ++writeClock;
    }

    /// Replaces the cached messages with what Redis answered, unless this instance wrote to the
    /// session since the read was sent or the cache already holds more.
    void rememberChat(const QString &sessionId, const QList<QJsonObject> &messages,
                      quint64 issuedAt)
    {
        if (const ChatCache *entry = chatCache.find(sessionId)) {
            if (entry->lastWrite > issuedAt || qsizetype(entry->messages.size()) > messages.size())
                return;
        }
        ChatCache fresh;
        const qsizetype keep = std::min<qsizetype>(messages.size(), o.cacheChatPerSession);
        fresh.messages.assign(messages.cend() - keep, messages.cend());
        fresh.lastWrite = issuedAt;
        chatCache.insert(sessionId, std::move(fresh));
    }

    Result<QList<QJsonObject>> cachedChat(const QString &sessionId, int limit)
    {
        const ChatCache *entry = chatCache.find(sessionId);
        if (!entry)
            return unavailable(QStringLiteral("the history of session '%1'").arg(sessionId));
        const qsizetype count = std::min<qsizetype>(limit, qsizetype(entry->messages.size()));
        return QList<QJsonObject>(entry->messages.cend() - count, entry->messages.cend());
    }

    void rememberStatus(const QString &videoId, const std::optional<QJsonObject> &status,
                        quint64 lastWrite)
    {
        if (const StatusCache *entry = statusCache.find(videoId)) {
            if (entry->lastWrite > lastWrite)
                return;
        }
        statusCache.insert(videoId, StatusCache{ status, lastWrite });
    }

    void cacheJournalEntries(const QList<QJsonObject> &entries, bool replace, quint64 issuedAt)
    {
        if (replace) {
            if (journalKnown
                && (journalLastWrite > issuedAt || qsizetype(journalCache.size()) > entries.size()))
                return;
            journalCache.clear();
        } else {
            journalLastWrite = ++writeClock;
        }
        journalKnown = true;
        for (const QJsonObject &entry : entries)
            journalCache.push_back(entry);
        while (journalCache.size() > size_t(std::max(0, o.cacheJournal)))
            journalCache.pop_front();
    }

    // --- reply parsing ------------------------------------------------------------------

    static AppError replyError(const redisReply &reply)
    {
        if (reply.type == REDIS_REPLY_ERROR)
            return AppError{ ErrorCode::Internal,
                             QStringLiteral("Redis: %1").arg(QString::fromUtf8(replyText(reply))) };
        return AppError{ ErrorCode::Internal,
                         QStringLiteral("unexpected Redis reply of type %1").arg(reply.type) };
    }

    /// XREVRANGE entries ([id, [field, value, ...]], newest first) -> the "m" objects, oldest
    /// first.
    static Result<QList<QJsonObject>> streamEntries(const redisReply &reply)
    {
        if (reply.type != REDIS_REPLY_ARRAY)
            return replyError(reply);
        QList<QJsonObject> entries;
        entries.reserve(qsizetype(reply.elements));
        for (size_t i = reply.elements; i-- > 0;) {
            const redisReply *entry = reply.element[i];
            if (entry->type != REDIS_REPLY_ARRAY || entry->elements < 2
                || entry->element[1]->type != REDIS_REPLY_ARRAY)
                continue;
            const redisReply *fields = entry->element[1];
            for (size_t f = 0; f + 1 < fields->elements; f += 2) {
                if (replyText(*fields->element[f]) != "m")
                    continue;
                if (auto object = detail::parseObject(replyText(*fields->element[f + 1])))
                    entries.append(*object);
                break;
            }
        }
        return entries;
    }

    /// An array of JSON strings (LRANGE, the registry script) -> objects, in order.
    static Result<QList<QJsonObject>> jsonArray(const redisReply &reply)
    {
        if (reply.type != REDIS_REPLY_ARRAY)
            return replyError(reply);
        QList<QJsonObject> objects;
        objects.reserve(qsizetype(reply.elements));
        for (size_t i = 0; i < reply.elements; ++i) {
            if (auto object = detail::parseObject(replyText(*reply.element[i])))
                objects.append(*object);
        }
        return objects;
    }

    // --- state --------------------------------------------------------------------------

    RedisStore *q;
    Result<RedisEndpoint> endpoint;
    Options o;
    QString instance;
    State state = State::Idle;
    bool up = false;
    bool hadFailure = false;
    bool warnedDown = false;
    QString failReason;

    redisAsyncContext *ctx = nullptr;
    QtAdapter *adapter = nullptr;
    bool resolving = false; // a host name lookup is under way (no context yet)
    quint64 lookupGeneration = 0;
    quint64 addressRotation = 0;
    bool dying = false; // the current context is going away: send nothing more on it
    std::deque<Sent> sent;

    std::deque<Op> queue; // in order; the first sentOps are sent and unanswered
    qsizetype sentOps = 0;
    qsizetype queuedWrites = 0;
    qint64 queuedBytes = 0;
    quint64 nextSeq = 1;
    quint64 nextUidValue = 1;
    quint64 writeClock = 0; // orders local writes against reads in flight, for the caches
    qint64 dropped = 0;
    qint64 droppedUnlogged = 0;
    detail::RateLimiter dropLog{ 5000 };
    detail::RateLimiter errorLog{ 5000 };

    QTimer reconnectTimer;
    QTimer connectTimer;
    QTimer refreshTimer;
    QTimer watchdog;
    int attempt = 0;
    QElapsedTimer clock;

    QMap<QString, QByteArray> connections; // this instance's, socket id -> JSON
    detail::LruCache<QString, ChatCache> chatCache;
    detail::LruCache<QString, StatusCache> statusCache;
    std::deque<QJsonObject> journalCache;
    bool journalKnown = false;
    quint64 journalLastWrite = 0;
};

// ---------------------------------------------------------------------------------------------

RedisStore::RedisStore(const QString &url, QObject *parent)
    : RedisStore(url, Options{}, parent)
{ }

RedisStore::RedisStore(const QString &url, const Options &options, QObject *parent)
    : Store(parent)
    , d(std::make_unique<Private>(this, url, options))
{ }

RedisStore::~RedisStore()
{
    d->close();
}

QString RedisStore::instanceId() const
{
    return d->instance;
}

RedisEndpoint RedisStore::endpoint() const
{
    return d->endpoint ? d->endpoint.value() : RedisEndpoint{};
}

QString RedisStore::kind() const
{
    return QStringLiteral("redis");
}

QString RedisStore::health() const
{
    return d->up ? QStringLiteral("connected") : QStringLiteral("down");
}

Status RedisStore::open()
{
    if (!d->endpoint)
        return d->endpoint.error();
    if (d->state == Private::State::Closed)
        return AppError{ ErrorCode::Internal, QStringLiteral("the Redis store was closed") };
    if (d->state != Private::State::Idle)
        return std::nullopt;
    d->refreshTimer.start();
    d->watchdog.start();
    d->connectNow();
    return std::nullopt;
}

void RedisStore::close()
{
    d->close();
}

void RedisStore::appendChatMessage(const QString &sessionId, const QJsonObject &message)
{
    if (!detail::isValidId(sessionId)) {
        d->dropWrite(detail::invalidIdError(QStringLiteral("session"), sessionId));
        return;
    }
    d->cacheChatWrite(sessionId, message);
    const QByteArray key = d->chatKey(sessionId);
    const QByteArray json = detail::toJson(message);
    const QByteArray uid = d->nextUid();
    const QByteArray maxLen = QByteArray::number(d->o.chatMaxLen);
    d->enqueueWrite({ "XADD", key, "MAXLEN", "~", maxLen, "*", "u", uid, "m", json },
                    Private::Replay::StreamAddOnce);
}

void RedisStore::chatHistory(const QString &sessionId, int limit, Reply<QList<QJsonObject>> reply)
{
    Private *p = d.get();
    if (!detail::isValidId(sessionId)) {
        p->deliver<QList<QJsonObject>>(
            reply, detail::invalidIdError(QStringLiteral("session"), sessionId));
        return;
    }
    if (limit <= 0) {
        p->deliver<QList<QJsonObject>>(reply, QList<QJsonObject>());
        return;
    }
    const quint64 issuedAt = p->writeClock;
    p->enqueueRead(
        { "XREVRANGE", p->chatKey(sessionId), "+", "-", "COUNT", QByteArray::number(limit) },
        [p, sessionId, issuedAt, reply](const redisReply &answer) {
            Result<QList<QJsonObject>> messages = Private::streamEntries(answer);
            if (messages)
                p->rememberChat(sessionId, messages.value(), issuedAt);
            p->deliver(reply, std::move(messages));
        },
        [p, sessionId, limit, reply] { p->deliver(reply, p->cachedChat(sessionId, limit)); });
}

void RedisStore::setLatestStatus(const QString &videoId, const QJsonObject &status)
{
    if (!detail::isValidId(videoId)) {
        d->dropWrite(detail::invalidIdError(QStringLiteral("video"), videoId));
        return;
    }
    d->rememberStatus(videoId, status, ++d->writeClock);
    d->enqueueWrite({ "SET", d->statusKey(videoId), detail::toJson(status) });
}

void RedisStore::latestStatus(const QString &videoId, Reply<std::optional<QJsonObject>> reply)
{
    using Answer = std::optional<QJsonObject>;
    Private *p = d.get();
    if (!detail::isValidId(videoId)) {
        p->deliver<Answer>(reply, detail::invalidIdError(QStringLiteral("video"), videoId));
        return;
    }
    const quint64 issuedAt = p->writeClock;
    p->enqueueRead(
        { "GET", p->statusKey(videoId) },
        [p, videoId, issuedAt, reply](const redisReply &answer) {
            if (answer.type != REDIS_REPLY_NIL && answer.type != REDIS_REPLY_STRING) {
                p->deliver<Answer>(reply, Private::replyError(answer));
                return;
            }
            Answer status;
            if (answer.type == REDIS_REPLY_STRING) {
                status = detail::parseObject(replyText(answer));
                if (!status)
                    qCWarning(lcRedis) << "ignoring the unreadable status of video" << videoId;
            }
            p->rememberStatus(videoId, status, issuedAt);
            p->deliver<Answer>(reply, status);
        },
        [p, videoId, reply] {
            if (const Private::StatusCache *entry = p->statusCache.find(videoId))
                p->deliver<Answer>(reply, entry->status);
            else
                p->deliver<Answer>(
                    reply,
                    Private::unavailable(QStringLiteral("the status of video '%1'").arg(videoId)));
        });
}

void RedisStore::appendResult(const QString &videoId, const QJsonObject &result)
{
    if (!detail::isValidId(videoId)) {
        d->dropWrite(detail::invalidIdError(QStringLiteral("video"), videoId));
        return;
    }
    ++d->writeClock;
    const QByteArray key = d->resultsKey(videoId);
    const QByteArray json = detail::toJson(result);
    d->enqueueWrite({ "RPUSH", key, json }, Private::Replay::ListPushOnce);
}

void RedisStore::results(const QString &videoId, Reply<QList<QJsonObject>> reply)
{
    Private *p = d.get();
    if (!detail::isValidId(videoId)) {
        p->deliver<QList<QJsonObject>>(reply,
                                       detail::invalidIdError(QStringLiteral("video"), videoId));
        return;
    }
    p->enqueueRead(
        { "LRANGE", p->resultsKey(videoId), "0", "-1" },
        [p, reply](const redisReply &answer) { p->deliver(reply, Private::jsonArray(answer)); },
        [p, videoId, reply] {
            p->deliver<QList<QJsonObject>>(
                reply,
                Private::unavailable(QStringLiteral("the results of video '%1'").arg(videoId)));
        });
}

void RedisStore::clearVideo(const QString &videoId)
{
    if (!detail::isValidId(videoId)) {
        d->dropWrite(detail::invalidIdError(QStringLiteral("video"), videoId));
        return;
    }
    d->rememberStatus(videoId, std::nullopt, ++d->writeClock);
    d->enqueueWrite({ "DEL", d->statusKey(videoId), d->resultsKey(videoId) });
}

void RedisStore::registerConnection(const QString &socketId, const QJsonObject &info)
{
    const QByteArray json = detail::toJson(info);
    d->connections.insert(socketId, json);
    if (d->canSend())
        d->sendControl(d->registryTouch(false) << socketId.toUtf8() << json,
                       Private::Control::Registry);
}

void RedisStore::unregisterConnection(const QString &socketId)
{
    if (d->connections.remove(socketId) == 0)
        return;
    if (d->canSend())
        d->sendControl({ "HDEL", d->registryKey(), socketId.toUtf8() }, Private::Control::Registry);
}

void RedisStore::connections(Reply<QList<QJsonObject>> reply)
{
    Private *p = d.get();
    p->enqueueRead(
        { "EVAL", RegistryList, "1", p->instancesKey(), p->key(QStringLiteral("conn:")) },
        [p, reply](const redisReply &answer) { p->deliver(reply, Private::jsonArray(answer)); },
        [p, reply] {
            QList<QJsonObject> local;
            for (const QByteArray &json : std::as_const(p->connections)) {
                if (auto object = detail::parseObject(json))
                    local.append(*object);
            }
            p->deliver(reply, Result<QList<QJsonObject>>(local));
        });
}

void RedisStore::appendJournal(const QJsonObject &entry)
{
    d->cacheJournalEntries({ entry }, false, 0);
    const QByteArray key = d->journalKey();
    const QByteArray json = detail::toJson(entry);
    const QByteArray uid = d->nextUid();
    const QByteArray maxLen = QByteArray::number(d->o.journalMaxLen);
    d->enqueueWrite({ "XADD", key, "MAXLEN", "~", maxLen, "*", "u", uid, "m", json },
                    Private::Replay::StreamAddOnce);
}

void RedisStore::journal(int limit, Reply<QList<QJsonObject>> reply)
{
    Private *p = d.get();
    const int wanted = std::min(limit, p->o.journalMaxLen);
    if (wanted <= 0) {
        p->deliver<QList<QJsonObject>>(reply, QList<QJsonObject>());
        return;
    }
    const quint64 issuedAt = p->writeClock;
    p->enqueueRead(
        { "XREVRANGE", p->journalKey(), "+", "-", "COUNT", QByteArray::number(wanted) },
        [p, issuedAt, reply](const redisReply &answer) {
            Result<QList<QJsonObject>> entries = Private::streamEntries(answer);
            if (entries)
                p->cacheJournalEntries(entries.value(), true, issuedAt);
            p->deliver(reply, std::move(entries));
        },
        [p, wanted, reply] {
            if (!p->journalKnown) {
                p->deliver<QList<QJsonObject>>(reply,
                                               Private::unavailable(QStringLiteral("the journal")));
                return;
            }
            const qsizetype count = std::min<qsizetype>(wanted, qsizetype(p->journalCache.size()));
            p->deliver(reply,
                       Result<QList<QJsonObject>>(QList<QJsonObject>(p->journalCache.cend() - count,
                                                                     p->journalCache.cend())));
        });
}

qint64 RedisStore::droppedWrites() const
{
    return d->dropped;
}

int RedisStore::pendingWrites() const
{
    return int(d->queuedWrites);
}

} // namespace mmv::storage
