#include "commandline.h"

#include "server/core/settings.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <cstdio>
#include <cstring>

namespace mmv {

namespace {

struct Parser
{
    QCommandLineParser parser;
    QCommandLineOption headless{ QStringLiteral("headless"),
                                 QStringLiteral("Run without a window until SIGINT/SIGTERM.") };
    QCommandLineOption config{ QStringLiteral("config"),
                               QStringLiteral("Settings file (default: the platform's config "
                                              "location; env MMV_CONFIG)."),
                               QStringLiteral("file") };
    QHash<Settings::Key, QCommandLineOption *> valueOptions;
    std::vector<std::unique_ptr<QCommandLineOption>> storage;

    Parser()
    {
        parser.setApplicationDescription(QStringLiteral(
            "MultiModelVideo: video analysis with a real-time Socket.IO server for the LAN."));
        parser.addHelpOption();
        parser.addVersionOption();
        parser.addOption(headless);
        parser.addOption(config);
        const struct
        {
            Settings::Key key;
            const char *valueName;
            const char *help;
        } specs[] = {
            { Settings::Key::Port, "port",
              "Port for HTTP, Socket.IO and the browser client (default 8765)." },
            { Settings::Key::Bind, "address", "Address to listen on (default: all interfaces)." },
            { Settings::Key::DataDir, "dir", "Where videos, results and the file store live." },
            { Settings::Key::Redis, "url",
              "Use Redis for storage, e.g. redis://127.0.0.1:6379/0." },
            { Settings::Key::OperatorToken, "token",
              "Operator token (default: generated once and kept)." },
            { Settings::Key::ViewerToken, "token",
              "Viewer token (default: generated once and kept)." },
            { Settings::Key::NoAuth, nullptr,
              "Disable authentication: every client is an operator." },
            { Settings::Key::CorsOrigins, "origin",
              "Allow a cross-origin site (repeatable), e.g. http://host:3000." },
            { Settings::Key::MaxUpload, "size", "Largest accepted upload (default 4G)." },
            { Settings::Key::EventRateLimit, "n",
              "Events per second each client may send, bursts of twice that (default 50; 0: "
              "no limit)." },
            { Settings::Key::ChatRateLimit, "n",
              "Chat messages per second each client may send, bursts of four times that "
              "(default 5; 0: no limit)." },
            { Settings::Key::AllowedHosts, "host",
              "Another host name the server answers to, e.g. behind a reverse proxy "
              "(repeatable)." },
            { Settings::Key::Lang, "code",
              "Language of the window, e.g. de (default: the system's)." },
        };
        for (const auto &spec : specs) {
            const Settings::KeyInfo &info = Settings::info(spec.key);
            const QString help = QString::fromUtf8(spec.help) + QStringLiteral(" [env ")
                + info.environmentVariable + QLatin1Char(']');
            auto option = spec.valueName ? std::make_unique<QCommandLineOption>(
                              info.name, help, QString::fromLatin1(spec.valueName))
                                         : std::make_unique<QCommandLineOption>(info.name, help);
            parser.addOption(*option);
            valueOptions.insert(spec.key, option.get());
            storage.push_back(std::move(option));
        }
    }
};

} // namespace

bool CommandLine::wantsHeadless(int argc, char **argv)
{
    for (int i = 1; i < argc; ++i) {
        const char *arg = argv[i];
        if (std::strcmp(arg, "--headless") == 0 || std::strcmp(arg, "-headless") == 0
            || std::strcmp(arg, "--help") == 0 || std::strcmp(arg, "-h") == 0
            || std::strcmp(arg, "--version") == 0 || std::strcmp(arg, "-v") == 0)
            return true;
    }
    return false;
}

Result<CommandLine> CommandLine::parse(const QStringList &arguments)
{
    Parser p;
    if (!p.parser.parse(arguments))
        return AppError{ ErrorCode::InvalidArgument, p.parser.errorText() };
    CommandLine result;
    if (p.parser.isSet(QStringLiteral("help"))) {
        std::fputs(qPrintable(p.parser.helpText()), stdout);
        result.exitNow = true;
        return result;
    }
    if (p.parser.isSet(QStringLiteral("version"))) {
        std::printf("%s %s\n", qPrintable(QCoreApplication::applicationName()), MMV_VERSION);
        result.exitNow = true;
        return result;
    }
    if (!p.parser.positionalArguments().isEmpty()) {
        return AppError{ ErrorCode::InvalidArgument,
                         QStringLiteral("unexpected argument '%1'")
                             .arg(p.parser.positionalArguments().constFirst()) };
    }
    result.headless = p.parser.isSet(p.headless);
    result.configFile = p.parser.value(p.config);
    return result;
}

Status CommandLine::apply(const QStringList &arguments, Settings &settings)
{
    Parser p;
    if (!p.parser.parse(arguments))
        return AppError{ ErrorCode::InvalidArgument, p.parser.errorText() };
    if (Status error = settings.applyEnvironment(QProcessEnvironment::systemEnvironment()))
        return error;
    for (auto it = p.valueOptions.cbegin(); it != p.valueOptions.cend(); ++it) {
        if (!p.parser.isSet(*it.value()))
            continue;
        QString raw;
        if (it.key() == Settings::Key::NoAuth)
            raw = QStringLiteral("true");
        else if (Settings::isList(it.key()))
            raw = p.parser.values(*it.value()).join(QLatin1Char(','));
        else
            raw = p.parser.value(*it.value());
        if (Status error = settings.applyCommandLine(it.key(), raw))
            return error;
    }
    return std::nullopt;
}

} // namespace mmv
