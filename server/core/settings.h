#pragma once

#include "apperror.h"
#include "servertypes.h"

#include <QHash>
#include <QHostAddress>
#include <QProcessEnvironment>
#include <QVariant>

#include <memory>

class QSettings;

namespace mmv {

/// The application's typed settings over a QSettings INI file.
///
/// Precedence: command line > environment (MMV_*) > settings file > defaults. Values set
/// from the command line or the environment are overrides: they are used but never written
/// to the file, and store() refuses to change them (the settings dialog greys them out).
class Settings
{
public:
    enum class Key {
        Port,
        Bind,
        DataDir,
        Redis,
        OperatorToken,
        ViewerToken,
        NoAuth,
        CorsOrigins,
        MaxUpload,
        EventRateLimit,
        ChatRateLimit,
        AllowedHosts,
        Lang,
    };
    enum class Source { Default, File, Environment, CommandLine };

    struct KeyInfo
    {
        Key key;
        QString name; ///< key in the file and name of the command-line option
        QString environmentVariable;
    };
    static const QList<KeyInfo> &keys();
    static const KeyInfo &info(Key key);

    /// Opens the settings file; an empty path means the platform's default location
    /// (overridable with MMV_CONFIG).
    explicit Settings(const QString &filePath = {});
    ~Settings();
    Settings(const Settings &) = delete;
    Settings &operator=(const Settings &) = delete;

    QString filePath() const;

    /// Applies every MMV_* variable present. Returns the first invalid value as an error.
    Status applyEnvironment(const QProcessEnvironment &environment);
    /// Applies one command-line value (for list keys, the items joined with commas).
    Status applyCommandLine(Key key, const QString &raw);

    /// Parses and validates a raw string value for `key`; `label` names its origin in the
    /// error message ("--port", "MMV_PORT"), the key's name by default.
    static Result<QVariant> parse(Key key, const QString &raw, const QString &label = {});

    QVariant value(Key key) const;
    /// Keys whose value is a list (repeatable on the command line, comma-separated elsewhere).
    static bool isList(Key key);
    Source source(Key key) const;
    bool isOverridden(Key key) const;

    /// Writes a value to the settings file. Fails when the key is overridden from the
    /// command line or the environment, or when the value is invalid.
    Status store(Key key, const QString &raw);

    /// Generates and persists the tokens that have no value yet.
    void ensureTokens();
    /// Replaces both tokens with new random ones (persisted unless overridden).
    void regenerateTokens();
    static QString generateToken();

    quint16 port() const { return quint16(value(Key::Port).toUInt()); }
    QHostAddress bindAddress() const
    {
        const QString bind = value(Key::Bind).toString();
        return bind == u"any" ? QHostAddress(QHostAddress::Any) : QHostAddress(bind);
    }
    QString dataDir() const { return value(Key::DataDir).toString(); }
    QString redisUrl() const { return value(Key::Redis).toString(); }
    QString operatorToken() const { return value(Key::OperatorToken).toString(); }
    QString viewerToken() const { return value(Key::ViewerToken).toString(); }
    bool noAuth() const { return value(Key::NoAuth).toBool(); }
    QStringList corsOrigins() const { return value(Key::CorsOrigins).toStringList(); }
    qint64 maxUploadBytes() const { return value(Key::MaxUpload).toLongLong(); }
    /// Events per second each socket may send (bursts of twice that); 0: no limit.
    double eventRateLimit() const { return value(Key::EventRateLimit).toDouble(); }
    /// Chat messages per second each socket may send (bursts of four times that); 0: no limit.
    double chatRateLimit() const { return value(Key::ChatRateLimit).toDouble(); }
    /// Host names the server answers to besides its own (behind a reverse proxy).
    QStringList allowedHosts() const { return value(Key::AllowedHosts).toStringList(); }
    QString language() const { return value(Key::Lang).toString(); }

    ServerConfig toServerConfig() const;

    static QString defaultDataDir();
    static QString defaultFilePath();
    /// "4 GiB", "512 MiB" ...
    static QString formatSize(qint64 bytes);

private:
    QVariant defaultValue(Key key) const;

    std::unique_ptr<QSettings> m_file;
    QHash<Key, QVariant> m_environment;
    QHash<Key, QVariant> m_commandLine;
};

} // namespace mmv
