#pragma once

#include "server/core/apperror.h"
#include "server/core/videotypes.h"

namespace mmv::analysis {

/// Opens a media file with libavformat and checks that it holds a video stream that can be
/// decoded (the first frame is decoded). Fills size, duration, dimensions, frame rate,
/// codecs and container of `VideoInfo`; id and names are the caller's.
///
/// Errors are UnsupportedMediaType with the reason: "not a video file", "not a video file: a
/// still image (<codec>)" (a photo; an animated GIF is a video), "no video stream",
/// "unsupported codec <name>", "truncated or corrupt file".
Result<VideoInfo> probeMedia(const QString &path);

} // namespace mmv::analysis
