#include "settings.h"

#include <QDir>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSettings>
#include <QStandardPaths>
#include <QUrl>

#include <functional>

namespace mmv {

namespace {

AppError invalid(const QString &label, const QString &raw, const QString &expected)
{
    return AppError{ ErrorCode::InvalidArgument,
                     QStringLiteral("invalid value for %1: '%2' (%3)").arg(label, raw, expected) };
}

std::optional<bool> parseBool(const QString &raw)
{
    const QString v = raw.trimmed().toLower();
    if (v == u"1" || v == u"true" || v == u"yes" || v == u"on")
        return true;
    if (v == u"0" || v == u"false" || v == u"no" || v == u"off" || v.isEmpty())
        return false;
    return std::nullopt;
}

std::optional<qint64> parseSize(const QString &raw)
{
    static const QRegularExpression re(
        QStringLiteral("^\\s*(\\d+(?:\\.\\d+)?)\\s*([kmgt]?)(?:i?b)?\\s*$"),
        QRegularExpression::CaseInsensitiveOption);
    const auto match = re.match(raw);
    if (!match.hasMatch())
        return std::nullopt;
    bool ok = false;
    const double number = match.captured(1).toDouble(&ok);
    if (!ok)
        return std::nullopt;
    double factor = 1;
    switch (match.captured(2).toLower().isEmpty() ? u' '
                                                  : match.captured(2).toLower().at(0).unicode()) {
    case u'k':
        factor = 1024.0;
        break;
    case u'm':
        factor = 1024.0 * 1024;
        break;
    case u'g':
        factor = 1024.0 * 1024 * 1024;
        break;
    case u't':
        factor = 1024.0 * 1024 * 1024 * 1024;
        break;
    default:
        break;
    }
    const double bytes = number * factor;
    if (bytes < 1 || bytes > 9.0e18)
        return std::nullopt;
    return qint64(bytes);
}

bool isValidHostName(const QString &host)
{
    // A DNS name or an IPv4 address; IPv6 literals in brackets.
    static const QRegularExpression name(
        QStringLiteral("^(\\[[0-9a-fA-F:.]+\\]|[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                       "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*)$"));
    return host.size() <= 253 && name.match(host).hasMatch();
}

Result<QVariant> parseList(const QString &raw, const QString &label, const QString &expected,
                           const std::function<std::optional<QString>(QString)> &normalize)
{
    QStringList items;
    const auto parts = raw.split(QLatin1Char(','), Qt::SkipEmptyParts);
    for (const QString &part : parts) {
        const auto item = normalize(part.trimmed());
        if (!item)
            return invalid(label, part.trimmed(), expected);
        if (!items.contains(*item))
            items.append(*item);
    }
    return QVariant(items);
}

bool isValidOrigin(const QString &origin)
{
    if (origin == u"*")
        return true;
    const QUrl url(origin, QUrl::StrictMode);
    return url.isValid() && (url.scheme() == u"http" || url.scheme() == u"https")
        && !url.host().isEmpty() && url.path().isEmpty() && !url.hasQuery() && !url.hasFragment()
        && url.userInfo().isEmpty();
}

} // namespace

const QList<Settings::KeyInfo> &Settings::keys()
{
    static const QList<KeyInfo> all = {
        { Key::Port, QStringLiteral("port"), QStringLiteral("MMV_PORT") },
        { Key::Bind, QStringLiteral("bind"), QStringLiteral("MMV_BIND") },
        { Key::DataDir, QStringLiteral("data-dir"), QStringLiteral("MMV_DATA_DIR") },
        { Key::Redis, QStringLiteral("redis"), QStringLiteral("MMV_REDIS") },
        { Key::OperatorToken, QStringLiteral("operator-token"),
          QStringLiteral("MMV_OPERATOR_TOKEN") },
        { Key::ViewerToken, QStringLiteral("viewer-token"), QStringLiteral("MMV_VIEWER_TOKEN") },
        { Key::NoAuth, QStringLiteral("no-auth"), QStringLiteral("MMV_NO_AUTH") },
        { Key::CorsOrigins, QStringLiteral("cors-origin"), QStringLiteral("MMV_CORS_ORIGIN") },
        { Key::MaxUpload, QStringLiteral("max-upload"), QStringLiteral("MMV_MAX_UPLOAD") },
        { Key::EventRateLimit, QStringLiteral("event-rate-limit"),
          QStringLiteral("MMV_EVENT_RATE_LIMIT") },
        { Key::ChatRateLimit, QStringLiteral("chat-rate-limit"),
          QStringLiteral("MMV_CHAT_RATE_LIMIT") },
        { Key::AllowedHosts, QStringLiteral("allowed-host"), QStringLiteral("MMV_ALLOWED_HOST") },
        { Key::Lang, QStringLiteral("lang"), QStringLiteral("MMV_LANG") },
    };
    return all;
}

const Settings::KeyInfo &Settings::info(Key key)
{
    for (const KeyInfo &i : keys()) {
        if (i.key == key)
            return i;
    }
    Q_UNREACHABLE();
}

QString Settings::defaultFilePath()
{
    const QString fromEnv = qEnvironmentVariable("MMV_CONFIG");
    if (!fromEnv.isEmpty())
        return fromEnv;
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation))
        .filePath(QStringLiteral("settings.ini"));
}

QString Settings::defaultDataDir()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
}

Settings::Settings(const QString &filePath)
    : m_file(std::make_unique<QSettings>(filePath.isEmpty() ? defaultFilePath() : filePath,
                                         QSettings::IniFormat))
{ }

Settings::~Settings() = default;

QString Settings::filePath() const
{
    return m_file->fileName();
}

Result<QVariant> Settings::parse(Key key, const QString &raw, const QString &label)
{
    const QString i = label.isEmpty() ? info(key).name : label;
    const QString v = raw.trimmed();
    switch (key) {
    case Key::Port: {
        bool ok = false;
        const uint port = v.toUInt(&ok);
        if (!ok || port > 65535)
            return invalid(i, raw, QStringLiteral("expected a port number 0-65535"));
        return QVariant(port);
    }
    case Key::Bind: {
        if (v.isEmpty() || v == u"*" || v.compare(u"any", Qt::CaseInsensitive) == 0)
            return QVariant(QStringLiteral("any")); // dual-stack: IPv4 and IPv6
        if (v.compare(u"localhost", Qt::CaseInsensitive) == 0)
            return QVariant(QStringLiteral("127.0.0.1"));
        QHostAddress address;
        if (!address.setAddress(v))
            return invalid(i, raw, QStringLiteral("expected an IP address, 'any' or 'localhost'"));
        return QVariant(address.toString());
    }
    case Key::DataDir:
        if (v.isEmpty())
            return invalid(i, raw, QStringLiteral("expected a directory"));
        return QVariant(QDir::cleanPath(QDir::current().absoluteFilePath(v)));
    case Key::Redis: {
        if (v.isEmpty() || v.compare(u"none", Qt::CaseInsensitive) == 0)
            return QVariant(QString());
        const QUrl url(v, QUrl::StrictMode);
        const bool tcp = (url.scheme() == u"redis") && !url.host().isEmpty();
        const bool unix = url.scheme() == u"unix" && !url.path().isEmpty();
        if (!url.isValid() || !(tcp || unix))
            return invalid(i, raw,
                           QStringLiteral("expected redis://[:password@]host[:port][/db] or "
                                          "unix:///path/to/redis.sock"));
        return QVariant(v);
    }
    case Key::OperatorToken:
    case Key::ViewerToken:
        if (v.isEmpty() || v.contains(QRegularExpression(QStringLiteral("\\s"))))
            return invalid(i, QStringLiteral("…"),
                           QStringLiteral("expected a non-empty token without spaces"));
        return QVariant(v);
    case Key::NoAuth: {
        const auto b = parseBool(v);
        if (!b)
            return invalid(i, raw, QStringLiteral("expected true or false"));
        return QVariant(*b);
    }
    case Key::CorsOrigins:
        return parseList(v, i, QStringLiteral("expected an origin like http://host:port or *"),
                         [](QString origin) -> std::optional<QString> {
                             while (origin.endsWith(QLatin1Char('/')))
                                 origin.chop(1);
                             if (!isValidOrigin(origin))
                                 return std::nullopt;
                             return origin;
                         });
    case Key::AllowedHosts:
        return parseList(v, i, QStringLiteral("expected a host name such as video.example.org"),
                         [](const QString &host) -> std::optional<QString> {
                             if (!isValidHostName(host))
                                 return std::nullopt;
                             QString h = host.toLower();
                             if (h.startsWith(QLatin1Char('[')) && h.endsWith(QLatin1Char(']')))
                                 h = h.mid(1, h.size() - 2); // as the Host header check compares
                             return h;
                         });
    case Key::EventRateLimit:
    case Key::ChatRateLimit: {
        bool ok = false;
        const double rate = v.toDouble(&ok);
        if (!ok || !(rate >= 0) || rate > 1e6)
            return invalid(
                i, raw, QStringLiteral("expected messages per second per client, 0 for no limit"));
        return QVariant(rate);
    }
    case Key::MaxUpload: {
        const auto size = parseSize(v);
        if (!size)
            return invalid(i, raw, QStringLiteral("expected a size such as 4G, 512M or 1048576"));
        return QVariant(*size);
    }
    case Key::Lang: {
        static const QRegularExpression re(QStringLiteral("^([a-z]{2,3}([_-][A-Za-z]{2,4})?)?$"));
        if (!re.match(v).hasMatch())
            return invalid(i, raw, QStringLiteral("expected a language code such as de or en"));
        return QVariant(v);
    }
    }
    Q_UNREACHABLE();
}

bool Settings::isList(Key key)
{
    return key == Key::CorsOrigins || key == Key::AllowedHosts;
}

QVariant Settings::defaultValue(Key key) const
{
    switch (key) {
    case Key::Port:
        return 8765u;
    case Key::Bind:
        return QStringLiteral("any");
    case Key::DataDir:
        return defaultDataDir();
    case Key::Redis:
    case Key::OperatorToken:
    case Key::ViewerToken:
    case Key::Lang:
        return QString();
    case Key::NoAuth:
        return false;
    case Key::CorsOrigins:
    case Key::AllowedHosts:
        return QStringList();
    case Key::MaxUpload:
        return 4LL * 1024 * 1024 * 1024;
    case Key::EventRateLimit:
        return 50.0;
    case Key::ChatRateLimit:
        return 5.0;
    }
    Q_UNREACHABLE();
}

Status Settings::applyEnvironment(const QProcessEnvironment &environment)
{
    for (const KeyInfo &i : keys()) {
        if (!environment.contains(i.environmentVariable))
            continue;
        auto parsed = parse(i.key, environment.value(i.environmentVariable), i.environmentVariable);
        if (!parsed)
            return parsed.error();
        m_environment.insert(i.key, parsed.value());
    }
    return std::nullopt;
}

Status Settings::applyCommandLine(Key key, const QString &raw)
{
    auto parsed = parse(key, raw, QStringLiteral("--") + info(key).name);
    if (!parsed)
        return parsed.error();
    m_commandLine.insert(key, parsed.value());
    return std::nullopt;
}

QVariant Settings::value(Key key) const
{
    if (auto it = m_commandLine.constFind(key); it != m_commandLine.cend())
        return *it;
    if (auto it = m_environment.constFind(key); it != m_environment.cend())
        return *it;
    const QString name = info(key).name;
    if (m_file->contains(name)) {
        // A hand-edited file may hold garbage: fall back to the default rather than fail.
        QString raw = m_file->value(name).toString();
        if (isList(key))
            raw = m_file->value(name).toStringList().join(QLatin1Char(','));
        auto parsed = parse(key, raw);
        if (parsed)
            return parsed.value();
    }
    return defaultValue(key);
}

Settings::Source Settings::source(Key key) const
{
    if (m_commandLine.contains(key))
        return Source::CommandLine;
    if (m_environment.contains(key))
        return Source::Environment;
    if (m_file->contains(info(key).name))
        return Source::File;
    return Source::Default;
}

bool Settings::isOverridden(Key key) const
{
    const Source s = source(key);
    return s == Source::CommandLine || s == Source::Environment;
}

Status Settings::store(Key key, const QString &raw)
{
    if (isOverridden(key)) {
        return AppError{ ErrorCode::Conflict,
                         QStringLiteral("%1 is set on the command line or in the environment")
                             .arg(info(key).name) };
    }
    auto parsed = parse(key, raw);
    if (!parsed)
        return parsed.error();
    QVariant v = parsed.value();
    if (isList(key))
        v = v.toStringList().join(QLatin1Char(','));
    m_file->setValue(info(key).name, v);
    m_file->sync();
    if (m_file->status() != QSettings::NoError) {
        return AppError{ ErrorCode::Internal,
                         QStringLiteral("cannot write settings file %1").arg(m_file->fileName()) };
    }
    return std::nullopt;
}

QString Settings::generateToken()
{
    QByteArray bytes(24, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(bytes.data()),
                                          bytes.size() / int(sizeof(quint32)));
    return QString::fromLatin1(
        bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

void Settings::ensureTokens()
{
    for (Key key : { Key::OperatorToken, Key::ViewerToken }) {
        if (m_file->value(info(key).name).toString().isEmpty())
            m_file->setValue(info(key).name, generateToken());
    }
    m_file->sync();
}

void Settings::regenerateTokens()
{
    for (Key key : { Key::OperatorToken, Key::ViewerToken })
        m_file->setValue(info(key).name, generateToken());
    m_file->sync();
}

ServerConfig Settings::toServerConfig() const
{
    ServerConfig config;
    config.bindAddress = bindAddress();
    config.port = port();
    config.dataDir = dataDir();
    config.redisUrl = redisUrl();
    config.operatorToken = operatorToken();
    config.viewerToken = viewerToken();
    config.noAuth = noAuth();
    config.corsOrigins = corsOrigins();
    config.maxUploadBytes = maxUploadBytes();
    config.eventRateLimit = eventRateLimit();
    config.chatRateLimit = chatRateLimit();
    config.allowedHosts = allowedHosts();
    return config;
}

QString Settings::formatSize(qint64 bytes)
{
    static const char *units[] = { "B", "KiB", "MiB", "GiB", "TiB" };
    double value = double(bytes);
    int unit = 0;
    while (value >= 1024 && unit < 4) {
        value /= 1024;
        ++unit;
    }
    return QStringLiteral("%1 %2").arg(QString::number(value, 'g', value < 10 ? 3 : 4),
                                       QLatin1String(units[unit]));
}

} // namespace mmv
