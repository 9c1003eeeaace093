#include "headlessconsole.h"

#include "server/core/settings.h"

namespace mmv {

QString headlessBanner(const ServerState &state, const Settings &settings)
{
    QString text;
    text += QStringLiteral("MultiModelVideo %1 (headless)\n").arg(QLatin1String(MMV_VERSION));
    text += QStringLiteral("Listening on:\n");
    for (const QString &url : state.urls)
        text += QStringLiteral("  %1\n").arg(url);
    if (settings.noAuth()) {
        text += QStringLiteral(
            "WARNING: authentication is disabled (--no-auth): every client on the network "
            "is an operator.\n");
    } else {
        text += QStringLiteral("Viewer link:     %1\n")
                    .arg(state.viewerLink(settings.viewerToken()));
        text += QStringLiteral("Operator token:  %1\n").arg(settings.operatorToken());
        text += QStringLiteral("Viewer token:    %1\n").arg(settings.viewerToken());
    }
    text += QStringLiteral("Data directory:  %1\n").arg(settings.dataDir());
    text += QStringLiteral("Storage:         %1\n")
                .arg(state.storage == u"redis" ? QStringLiteral("Redis")
                                               : QStringLiteral("embedded file store"));
    text += QStringLiteral("Settings file:   %1\n").arg(settings.filePath());
    text += QStringLiteral("Press Ctrl+C to stop.\n");
    return text;
}

} // namespace mmv
