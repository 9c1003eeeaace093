#pragma once
// A server for tests that start their own: loopback only, a free port, data in a folder of
// the test's.

#include "server/core/servercontroller.h"
#include "server/core/servertypes.h"

#include <QHostAddress>

namespace mmv::testing {

inline ServerConfig localServerConfig(const QString &dataDir)
{
    ServerConfig config;
    config.bindAddress = QHostAddress::LocalHost;
    config.port = 0;
    config.dataDir = dataDir;
    return config;
}

/// Starts `controller` with localServerConfig(dataDir); empty, or why it could not.
inline QString startLocalServer(ServerController &controller, const QString &dataDir)
{
    const Status started = controller.start(localServerConfig(dataDir));
    return started ? started->message : QString();
}

} // namespace mmv::testing
