// Wiring only: command line and settings, then the dashboard or the headless console.

#include "commandline.h"
#include "headlessconsole.h"
#include "signalwatcher.h"

#include "server/core/logging.h"
#include "server/core/loghub.h"
#include "server/core/servercontroller.h"
#include "server/core/settings.h"
#include "ui/mainwindow.h"
#include "ui/translator.h"

#include <QApplication>
#include <QDir>

#include <cstdio>
#include <memory>

namespace {

constexpr int ExitUsage = 1;
constexpr int ExitCannotServe = 2;

void printError(const QString &message)
{
    std::fprintf(stderr, "multimodelvideo: error: %s\n", qPrintable(message));
    std::fflush(stderr);
}

} // namespace

int main(int argc, char **argv)
{
    using namespace mmv;

    QCoreApplication::setOrganizationName(QStringLiteral("MultiModelVideo"));
    QCoreApplication::setApplicationName(QStringLiteral("multimodelvideo"));
    QCoreApplication::setApplicationVersion(QStringLiteral(MMV_VERSION));

    const bool headless = CommandLine::wantsHeadless(argc, argv);
    std::unique_ptr<QCoreApplication> app = headless
        ? std::make_unique<QCoreApplication>(argc, argv)
        : std::make_unique<QApplication>(argc, argv);
    LogHub::install();

    const QStringList arguments = QCoreApplication::arguments();
    auto commandLine = CommandLine::parse(arguments);
    if (!commandLine) {
        printError(commandLine.error().message + QStringLiteral(" (see --help)"));
        return ExitUsage;
    }
    if (commandLine.value().exitNow)
        return commandLine.value().exitCode;

    Settings settings(commandLine.value().configFile);
    if (Status error = CommandLine::apply(arguments, settings)) {
        printError(error->message);
        return ExitUsage;
    }
    settings.ensureTokens();
    if (!QDir().mkpath(settings.dataDir())) {
        printError(QStringLiteral("cannot create the data directory %1").arg(settings.dataDir()));
        return ExitCannotServe;
    }

    SignalWatcher signalWatcher;
    ServerController controller;
    const Status started = controller.start(settings.toServerConfig());

    if (commandLine.value().headless) {
        if (started) {
            printError(started->message);
            return ExitCannotServe;
        }
        std::fputs(qPrintable(headlessBanner(controller.state(), settings)), stdout);
        std::fflush(stdout);
        QObject::connect(&signalWatcher, &SignalWatcher::terminationRequested, app.get(),
                         [&controller](int signalNumber) {
                             qCInfo(lcApp) << "signal" << signalNumber << "received; shutting down";
                             controller.stop();
                             QCoreApplication::exit(0);
                         });
        return app->exec();
    }

    installTranslations(*app, settings.language());
    // When the server cannot start, the window still opens and shows why (its state is
    // Failed); the one-line error goes to stderr and the exit code says so too.
    if (started)
        printError(started->message);
    ui::MainWindow window(&controller, &settings);
    window.show();
    QObject::connect(&signalWatcher, &SignalWatcher::terminationRequested, &window,
                     &QWidget::close);
    const int code = app->exec();
    controller.stop();
    return started ? ExitCannotServe : code;
}
