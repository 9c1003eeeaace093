#pragma once

#include "server/analysis/analysistypes.h"
#include "server/analysis/jpegwriter.h"

#include <QSize>
#include <QString>

#include <memory>
#include <vector>

struct AVStream;
struct SwsContext;

namespace mmv::analysis {

/// How far a video stream's pictures are to be turned, clockwise, to be shown upright: 0, 90,
/// 180 or 270 degrees, from its display matrix (phones record portrait video as landscape
/// pictures with a matrix that turns them).
int displayRotation(const AVStream *stream);

/// The size of `width` x `height` pictures as shown, turned clockwise by `rotation` degrees.
QSize shownSize(int width, int height, int rotation);

/// What the demuxer found about a media file.
struct MediaInfo
{
    QString container;
    QString codec;
    QString audioCodec;
    int width = 0; ///< of the decoded pictures; shown turned by `rotation`
    int height = 0;
    int rotation = 0; ///< displayRotation() of the stream
    double fps = 0;
    double duration = 0; ///< seconds; 0 when unknown
    qint64 frameCount = 0; ///< estimated from duration and frame rate; 0 when unknown
    bool hasAudio = false; ///< a decodable audio stream is present
};

struct FrameSourceOptions
{
    int analysisWidth = 160; ///< never upscaled; the height keeps the display aspect
    int decoderThreads = 0; ///< 0: one per core
    /// Segment decoding (FrameSource::segmentDecoders()): decoded bytes (frames x picture
    /// size) before the first segment may end. The other decoders' threads and buffers only pay
    /// on longer videos: a short clip decodes sooner alone (tree.avi, 68 frames of 320x240:
    /// 16.6 ms alone, 18.4 ms in 3 segments). 0: at the first keyframe.
    qint64 firstSegmentBytes = qint64(64) << 20;
    bool decodeAudio = true;
    int audioSampleRate = 16000; ///< audio is delivered as mono float at this rate
};

/// A decoded picture held by reference (no copy), to be converted later, if at all. The
/// conversions give it upright (turned as the stream's display matrix says).
class Picture
{
public:
    Picture();
    ~Picture();
    Picture(const Picture &other);
    Picture &operator=(const Picture &other);

    bool isNull() const;
    /// Scales to `width` (never upscaled; the height keeps the display aspect) with a good
    /// downscaling filter, in YUV 4:2:0 with JPEG's full range. False when null. `cache`, if
    /// given, keeps the swscale context for the next picture (setting one up costs more than
    /// scaling a keyframe); free it with sws_freeContext().
    bool toYuv420(int width, Yuv420Image &image, SwsContext **cache = nullptr) const;
    /// The same in packed BGR with area averaging: `width`, `height` and `stride` (bytes from
    /// row to row) are set to what was made.
    bool toBgr(int &width, int &height, int &stride, std::vector<quint8> &pixels,
               SwsContext **cache = nullptr) const;

private:
    friend class FrameSource;
    struct Private;
    std::shared_ptr<Private> d;
};

/// Demuxes a media file once and decodes its video, scaled to a small BGR analysis frame,
/// and its audio, resampled to mono float, in the same pass. Pull-based: next() returns
/// what became available; the accessors are valid until the following next().
///
/// Demuxing and decoding run in a thread of their own. Codecs that FFmpeg decodes in one thread
/// only (DivX 3, WMV 1/2, MJPEG, Cinepak, FLV, ...) are decoded in segments, keyframe to
/// keyframe, by several decoders side by side (segmentDecoders()); the frames come out the same
/// and in order.
///
/// A stream that stops well before its declared duration, or that decodes mostly to errors,
/// ends with UnsupportedMediaType "truncated or corrupt file: ..." instead of End.
class FrameSource
{
public:
    enum class Event { Video, Audio, End };

    FrameSource();
    ~FrameSource();
    FrameSource(const FrameSource &) = delete;
    FrameSource &operator=(const FrameSource &) = delete;

    Status open(const QString &path, const FrameSourceOptions &options);
    const MediaInfo &info() const;

    Result<Event> next();

    /// The current video frame (after Event::Video): index from 0 and presentation time.
    qint64 frameIndex() const;
    double frameTime() const;
    /// The current frame at the analysis size, BGR.
    FrameView analysisFrame() const;
    /// The current frame, kept by reference.
    Picture picture() const;

    /// Audio decoded since the previous event (after Event::Audio), mono float.
    const std::vector<float> &audioSamples() const;
    /// Time of the first sample of audioSamples().
    double audioTime() const;
    int audioSampleRate() const;

    /// CPU time of the threads that demux and decode, after End (0 before).
    double decodingThreadSeconds();
    /// Decoders that decode the video's segments side by side (from one keyframe to the next),
    /// for codecs that have no threads of their own; 0: a single decoder decodes it in order.
    int segmentDecoders() const;
    /// With segment decoding: the segments taken so far (all of them after End).
    qint64 segments() const;
    /// Decoded frames waiting to be taken (in the queue, or the segment decoders' outputs).
    int framesBuffered() const;

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace mmv::analysis
