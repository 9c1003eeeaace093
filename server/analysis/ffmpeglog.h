#pragma once

namespace mmv::analysis {

/// Routes FFmpeg's own messages into the mmv.analysis logging category: errors only, so that
/// the console and the dashboard's log are not flooded with decoder chatter. Idempotent and
/// thread-safe.
void installFfmpegLogging();

} // namespace mmv::analysis
