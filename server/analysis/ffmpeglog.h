#pragma once

#include <QString>

namespace mmv::analysis {

/// FFmpeg's text for an AVERROR code.
QString avError(int code);

/// Routes FFmpeg's own messages into the mmv.analysis logging category: errors only, so that
/// the console and the dashboard's log are not flooded with decoder chatter. Idempotent and
/// thread-safe.
void installFfmpegLogging();

} // namespace mmv::analysis
