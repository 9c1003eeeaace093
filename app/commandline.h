#pragma once

#include "server/core/apperror.h"

#include <QStringList>

namespace mmv {

class Settings;

/// What main() needs from the command line besides the settings.
struct CommandLine
{
    bool headless = false;
    QString configFile;
    bool exitNow = false; ///< --help or --version was handled
    int exitCode = 0;

    /// True when argv asks for no window; decided before any QApplication exists.
    static bool wantsHeadless(int argc, char **argv);

    /// Parses the application's arguments and applies them to `settings` (environment
    /// first, then the command line on top). Prints help/version itself.
    static Result<CommandLine> parse(const QStringList &arguments);
    static Status apply(const QStringList &arguments, Settings &settings);
};

} // namespace mmv
