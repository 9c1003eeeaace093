#pragma once

#include "server/core/servertypes.h"

#include <QString>

namespace mmv {

class Settings;

/// What `--headless` prints at start: where to connect, the tokens, where data lives.
QString headlessBanner(const ServerState &state, const Settings &settings);

} // namespace mmv
