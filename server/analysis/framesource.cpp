#include "framesource.h"

#include "ffmpeglog.h"

#include "server/analysis/pointsampler.h"
#include "server/analysis/swscaler.h"
#include "server/core/logging.h"
#include "server/core/processinfo.h"

#include <QFile>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavcodec/bsf.h>
#include <libavformat/avformat.h>
#include <libavutil/avutil.h>
#include <libavutil/channel_layout.h>
#include <libavutil/display.h>
#include <libavutil/imgutils.h>
#include <libswresample/swresample.h>
#include <libswscale/swscale.h>
}

#include <opencv2/core.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <system_error>
#include <thread>

#include <time.h>

namespace mmv::analysis {

namespace {

constexpr size_t kQueueCapacity = 8; ///< decoded items waiting for the analysis
/// The two threads wake each other for this many items at a time, not for each: in a virtual
/// machine every cross-core wake-up is an interrupt to the hypervisor, and one per frame cost
/// ~20 % of the decoding time of an SD clip.
constexpr size_t kWakeBatch = 4;
/// ... but the analysis waits no longer than this for a batch to fill (slow decoders).
constexpr auto kBatchWait = std::chrono::milliseconds(20);

/// Segment decoding (see SegmentWorker): decoded pictures the workers may hold between them
/// ahead of the analysis, ...
constexpr size_t kAheadBytes = size_t(256) << 20;
/// ... compressed packets they may have waiting, between them, ...
constexpr size_t kInputBytes = size_t(64) << 20;
/// ... and the fewest packets in a segment (intra-only streams: every packet is a keyframe).
constexpr int kMinSegmentPackets = 8;
/// Workers at most, whatever the cores.
constexpr int kMaxSegmentWorkers = 8;
/// Pictures held ahead only pay while decoding is what the analysis waits for. That is judged
/// on the frames decoded while it was on their segment (not ahead), in windows of this many:
/// holding more than a batch ahead is allowed once it waited for the decoder this share of the
/// time or more in two windows running (the first is the start, when it waits for anything),
/// and until two windows where it did not. Otherwise the analysis is the slower (a full
/// analysis, whose detectors also take the CPU the decoders would need), and memory would only
/// fill up.
constexpr int kPaceWindow = 24;
constexpr double kDecodeBoundShare = 0.4;

/// Frame threads for the video decoder when the options leave it open. FFmpeg's own choice is
/// one per core plus one, for a decoder that has the machine to itself; here the analysis runs
/// beside it, and the extra thread only adds hand-offs: one per core decoded faster on every
/// sample measured (H.264, VP9, MPEG-2 and MPEG-4 from 320x180 to 1920x1080; 2 cores), by
/// 5-20 % (docs/benchmarks-analysis.md).
int defaultDecoderThreads()
{
    return int(std::clamp(std::thread::hardware_concurrency(), 1U, 16U));
}

AppError corrupt(const QString &detail)
{
    return AppError{ ErrorCode::UnsupportedMediaType,
                     QStringLiteral("truncated or corrupt file: %1").arg(detail) };
}

/// A decoded picture's reference, freed with it.
struct FrameFree
{
    void operator()(AVFrame *frame) const { av_frame_free(&frame); }
};
using FramePtr = std::unique_ptr<AVFrame, FrameFree>;

/// The small BGR frame the analysis reads.
struct AnalysisFrame
{
    std::vector<quint8> pixels;
    int width = 0;
    int height = 0;
    int stride = 0;
};

/// What makes analysis frames: the point sampler, and swscale for the formats it does not read.
struct AnalysisScaler
{
    PointSampler sampler;
    SwsContext *sws = nullptr;

    AnalysisScaler() = default;
    AnalysisScaler(const AnalysisScaler &) = delete;
    AnalysisScaler &operator=(const AnalysisScaler &) = delete;
    ~AnalysisScaler() { sws_freeContext(sws); }
};

/// What the decoding thread hands to the analysis.
struct Item
{
    FrameSource::Event event = FrameSource::Event::End;
    FramePtr frame; ///< the decoded picture (Video)
    qint64 index = -1;
    double time = 0;
    AnalysisFrame analysis; ///< made by a segment decoder (Video), else empty
    bool ahead = false; ///< decoded while the analysis was on an earlier segment
    std::vector<float> samples; ///< (Audio)
    double audioTime = 0;
    std::optional<AppError> error;
};

/// A Video item that takes `decoded`'s reference; without a frame when out of memory.
Item videoItem(AVFrame *decoded)
{
    Item item;
    item.event = FrameSource::Event::Video;
    item.frame.reset(av_frame_alloc());
    if (item.frame)
        av_frame_move_ref(item.frame.get(), decoded);
    return item;
}

/// Whether the decoder reported the frame as damaged (it concealed what it could not decode).
bool damaged(const AVFrame *frame)
{
    return frame->decode_error_flags || (frame->flags & AV_FRAME_FLAG_CORRUPT);
}

/// One of the decoders of a video decoded in segments: FFmpeg has no threads of its own for
/// many older codecs (MPEG-4 v3/DivX 3, WMV 1/2, MJPEG, Cinepak, VP6, ...), and a single core then
/// decodes the whole file while the others wait. Those codecs do not reorder frames, so every
/// keyframe starts a stretch that decodes alone: the demuxing thread deals the segments out to
/// the workers in turn, each decodes its own with a decoder of its own, and the analysis takes
/// the frames segment by segment, in order. The frames are the same as decoded in one pass:
/// a segment starts only at a packet that decodes alone, cleanly, to a keyframe (see
/// dealVideo()). Audio reaches the analysis as it is demuxed, ahead of the video by as much as
/// the workers hold (kAheadBytes of pictures, kInputBytes of packets).
struct SegmentWorker
{
    ~SegmentWorker()
    {
        for (AVPacket *packet : input)
            av_packet_free(&packet);
        av_frame_free(&frame);
        avcodec_free_context(&codec);
    }

    int number = 0; ///< takes the segments number, number + workers, ...
    AVCodecContext *codec = nullptr;
    AVFrame *frame = nullptr;
    AnalysisScaler scaler;
    std::thread thread;
    std::condition_variable wake; ///< input arrived, or room in the output

    // Under the source's mutex.
    std::deque<AVPacket *> input; ///< null: the end of a segment
    size_t inputBytes = 0;
    std::deque<Item> output; ///< decoded frames; an End item closes each segment
    size_t outputFrames = 0;
    qint64 segmentsClosed = 0; ///< End items delivered
    bool waitingForInput = false;
    bool waitingForRoom = false;

    // The worker's own until it has ended.
    int errors = 0;
    bool segmentStart = true;
    double cpuSeconds = 0;
};

} // namespace

namespace {

/// Scales `frame` to `width` x `height` in `format` (JPEG's full range where YUV) with `flags`
/// into `dst`, through a scaler taken from and left in `cache` (one made and freed if null). The
/// picture's range and matrix are read from it; the deprecated YUVJ formats as their plain twins
/// with full range (swscale swaps them itself, so that a cached context never matched).
bool scaleFrame(const AVFrame *frame, int width, int height, AVPixelFormat format, int flags,
                quint8 *const dst[4], const int dstStride[4], SwsContext **cache)
{
    bool fullRange = frame->color_range == AVCOL_RANGE_JPEG;
    const AVPixelFormat input = withoutJ(AVPixelFormat(frame->format), fullRange);
    SwsContext *sws = cachedScaler(cache ? *cache : nullptr, frame->width, frame->height, input,
                                   ScalerSide{ fullRange, swsMatrix(frame->colorspace) }, width,
                                   height, format, ScalerSide{ true, SWS_CS_DEFAULT }, flags);
    if (cache)
        *cache = sws;
    if (!sws)
        return false;
    sws_scale(sws, frame->data, frame->linesize, 0, frame->height, dst, dstStride);
    if (!cache)
        sws_freeContext(sws);
    return true;
}

/// cv::rotate's code for turning a picture clockwise by `degrees` (90, 180 or 270).
int rotateCode(int degrees)
{
    return degrees == 90 ? cv::ROTATE_90_CLOCKWISE
        : degrees == 180 ? cv::ROTATE_180
                         : cv::ROTATE_90_COUNTERCLOCKWISE;
}

} // namespace

int displayRotation(const AVStream *stream)
{
    size_t size = 0;
    const uint8_t *matrix = av_stream_get_side_data(stream, AV_PKT_DATA_DISPLAYMATRIX, &size);
    if (!matrix || size < 9 * sizeof(int32_t))
        return 0;
    // Counter-clockwise degrees in [-180, 180] (as ffmpeg's autorotation reads it).
    const double angle = av_display_rotation_get(reinterpret_cast<const int32_t *>(matrix));
    if (std::isnan(angle))
        return 0;
    const int clockwise = int(std::lround(-angle / 90.0)) * 90;
    return ((clockwise % 360) + 360) % 360;
}

QSize shownSize(int width, int height, int rotation)
{
    return rotation == 90 || rotation == 270 ? QSize(height, width) : QSize(width, height);
}

namespace {

/// The size a picture of `codedWidth` x `codedHeight` whose shape as shown (before turning) is
/// `aspect` gets when made `requestedWidth` wide upright (never wider than its pixels allow):
/// even width and height, and the size to scale to before turning.
struct TurnedSize
{
    int width = 0;
    int height = 0;
    int scaledWidth = 0; ///< before turning
    int scaledHeight = 0;
};

TurnedSize turnedSize(int requestedWidth, int codedWidth, int codedHeight, double aspect,
                      int rotation, bool roundHeightUp)
{
    const bool quarter = rotation == 90 || rotation == 270;
    const double shownAspect = quarter ? 1.0 / aspect : aspect;
    TurnedSize size;
    size.width = std::max(16, std::min(requestedWidth, quarter ? codedHeight : codedWidth) & ~1);
    const int height = std::max(2, int(std::lround(size.width / shownAspect)));
    size.height = roundHeightUp ? height + (height & 1) : std::max(2, height & ~1);
    size.scaledWidth = quarter ? size.height : size.width;
    size.scaledHeight = quarter ? size.width : size.height;
    return size;
}

} // namespace

struct Picture::Private
{
    FramePtr frame;
    double displayAspect = 1; ///< width / height as displayed, before turning
    int rotation = 0; ///< clockwise degrees to turn it upright
};

Picture::Picture() = default;
Picture::~Picture() = default;
Picture::Picture(const Picture &other) = default;
Picture &Picture::operator=(const Picture &other) = default;

bool Picture::isNull() const
{
    return !d || !d->frame;
}

bool Picture::toYuv420(int requestedWidth, Yuv420Image &image, SwsContext **cache) const
{
    if (isNull())
        return false;
    const AVFrame *frame = d->frame.get();
    const TurnedSize size = turnedSize(requestedWidth, frame->width, frame->height,
                                       d->displayAspect, d->rotation, false);
    Yuv420Image scaled;
    Yuv420Image &target = d->rotation ? scaled : image;
    target.allocate(size.scaledWidth, size.scaledHeight);
    quint8 *const dst[4] = { target.plane(0), target.plane(1), target.plane(2), nullptr };
    const int dstStride[4] = { target.stride(0), target.stride(1), target.stride(2), 0 };
    if (!scaleFrame(frame, size.scaledWidth, size.scaledHeight, AV_PIX_FMT_YUV420P, SWS_AREA, dst,
                    dstStride, cache))
        return false;
    if (d->rotation) {
        // Each plane turned; the sizes are even, so the chroma planes are exact halves.
        image.allocate(size.width, size.height);
        for (int plane = 0; plane < 3; ++plane) {
            const int w = plane == 0 ? scaled.width : scaled.chromaWidth();
            const int h = plane == 0 ? scaled.height : scaled.chromaHeight();
            const cv::Mat from(h, w, CV_8UC1, scaled.plane(plane), size_t(scaled.stride(plane)));
            cv::Mat to(plane == 0 ? image.height : image.chromaHeight(),
                       plane == 0 ? image.width : image.chromaWidth(), CV_8UC1, image.plane(plane),
                       size_t(image.stride(plane)));
            cv::rotate(from, to, rotateCode(d->rotation));
        }
    }
    return true;
}

bool Picture::toBgr(int &width, int &height, int &stride, std::vector<quint8> &pixels,
                    SwsContext **cache) const
{
    if (isNull())
        return false;
    const AVFrame *frame = d->frame.get();
    const TurnedSize size
        = turnedSize(width, frame->width, frame->height, d->displayAspect, d->rotation, true);
    width = size.width;
    height = size.height;
    stride = FFALIGN(width * 3, 32);
    std::vector<quint8> scaled;
    std::vector<quint8> &target = d->rotation ? scaled : pixels;
    const int scaledStride = FFALIGN(size.scaledWidth * 3, 32);
    target.resize(size_t(scaledStride) * size_t(size.scaledHeight) + 32);
    quint8 *const dst[4] = { target.data(), nullptr, nullptr, nullptr };
    const int dstStride[4] = { scaledStride, 0, 0, 0 };
    if (!scaleFrame(frame, size.scaledWidth, size.scaledHeight, AV_PIX_FMT_BGR24, SWS_AREA, dst,
                    dstStride, cache))
        return false;
    if (d->rotation) {
        pixels.resize(size_t(stride) * size_t(height) + 32);
        const cv::Mat from(size.scaledHeight, size.scaledWidth, CV_8UC3, scaled.data(),
                           size_t(scaledStride));
        cv::Mat to(height, width, CV_8UC3, pixels.data(), size_t(stride));
        cv::rotate(from, to, rotateCode(d->rotation));
    }
    return true;
}

struct FrameSource::Private
{
    ~Private()
    {
        stop();
        swr_free(&swr);
        av_bsf_free(&unpack);
        av_packet_free(&filtered);
        av_frame_free(&frame);
        av_frame_free(&audioFrame);
        av_packet_free(&packet);
        avcodec_free_context(&video);
        avcodec_free_context(&audio);
        avformat_close_input(&format);
    }

    Status openAudio();
    Status openUnpacker(const AVStream *stream);
    void openSegmentWorkers(const AVCodec *codec, AVStream *stream);
    Status sendVideo(AVPacket *videoPacket);
    void scaleForAnalysis(const AVFrame *source, AnalysisFrame &out, AnalysisScaler &scaler) const;

    // Decoding thread.
    void run();
    Status step();
    Result<bool> receiveVideo();
    Status decodeAudioPacket(const AVPacket *audioPacket);
    void flushAudio(bool final);
    Status checkCompleteness() const;
    bool push(Item item);
    void stop();
    void stamp(Item &item);

    // Segment decoding: the demuxing thread, the workers, the analysis.
    bool feed(SegmentWorker &worker, AVPacket *videoPacket);
    Status dealVideo(AVPacket *videoPacket);
    void endSegments();
    void runWorker(SegmentWorker &worker);
    Status decodeSegmentPacket(SegmentWorker &worker, const AVPacket *videoPacket);
    bool deliver(SegmentWorker &worker, Item item);
    bool takeSegmented();
    /// The worker that decodes segment `segment` (they take turns).
    SegmentWorker &workerFor(qint64 segment) const
    {
        return *workers[size_t(segment) % workers.size()];
    }
    /// With segment decoding: every segment was dealt and taken. Under the mutex.
    bool allTaken() const { return demuxDone && takenSegment >= segmentCount; }
    void judgePace(bool live, std::chrono::steady_clock::duration waited);
    bool decodesAlone(const AVPacket *videoPacket);
    void joinThreads();
    bool startWorker(SegmentWorker &worker);

    FrameSourceOptions options;
    MediaInfo info;
    AVFormatContext *format = nullptr;
    AVCodecContext *video = nullptr;
    AVCodecContext *audio = nullptr;
    SwrContext *swr = nullptr;
    AVPacket *packet = nullptr;
    AVBSFContext *unpack = nullptr; ///< MPEG-4 Part 2 only: packed B-frames split
    AVPacket *filtered = nullptr; ///< a packet out of `unpack`
    bool unpackFinished = false;
    AVFrame *frame = nullptr;
    AVFrame *audioFrame = nullptr;
    int videoIndex = -1;
    int audioIndex = -1;
    double displayAspect = 1; ///< width / height as displayed
    qint64 startPts = 0; ///< container start, in the video stream's time base

    // Owned by the decoding thread.
    qint64 index = -1;
    double time = -1;
    bool readFinished = false;
    bool readFailed = false;
    QString readError;
    bool videoFinished = false;
    bool finished = false;
    int decodeErrors = 0;
    double packetEnd = 0; ///< how far the demuxed video packets reach, seconds
    double expectedEnd = 0; ///< how far the headers say the video goes, seconds
    std::vector<float> samples;
    qint64 audioSamplesSent = 0;
    double audioStart = -1;

    // Shared.
    std::thread thread;
    std::mutex mutex;
    std::condition_variable changed;
    std::deque<Item> queue;
    bool stopping = false;
    bool terminalQueued = false; ///< the End or an error is in the queue
    bool producerWaiting = false;
    bool consumerWaiting = false;
    size_t consumerWants = 1; ///< items the waiting analysis is woken for: 1 for the first frame
    std::atomic<double> threadSeconds = 0; ///< CPU time of the decoding thread, once it ended

    // Segment decoding (none: one decoder in the decoding thread).
    std::vector<std::unique_ptr<SegmentWorker>> workers;
    size_t aheadFrames = 0; ///< decoded frames each worker may hold while decodeBound
    bool decodeBound = false; ///< the analysis waits for the decoders: decoding ahead pays
    size_t roomAhead() const { return decodeBound ? aheadFrames : kQueueCapacity; }
    // The analysis's pace (its own thread).
    std::chrono::steady_clock::time_point lastTaken; ///< when the last frame was taken
    std::chrono::steady_clock::duration paceSpent{}; ///< on live frames in this window...
    std::chrono::steady_clock::duration paceWaited{}; ///< ... waiting for them
    int paceFrames = 0; ///< live frames in this window
    bool lastWindowWaited = false;
    bool intraOnly = false; ///< every frame is a keyframe
    size_t inputBytesEach = 0; ///< packets each worker may have waiting
    int firstSegmentPackets = 0; ///< packets before the first segment may end
    qint64 dealtSegment = 0; ///< the one the demuxing thread deals out
    int dealtPackets = 0; ///< packets in it so far
    bool dealtNonKey = false; ///< one of them was not flagged as a keyframe
    std::atomic<bool> noMoreSegments = false; ///< the rest goes to the worker it went to
    bool demuxDone = false; ///< every segment has been dealt out
    qint64 segmentCount = 0; ///< once demuxDone
    bool demuxWaiting = false; ///< for room in a worker's input
    qint64 takenSegment = 0; ///< the segment the analysis takes frames from

    // Owned by the analysing thread.
    Item current;
    bool ended = false;
    AnalysisFrame analysis;
    AnalysisScaler scaler;
    std::vector<float> noSamples;
};

FrameSource::FrameSource()
    : d(std::make_unique<Private>())
{ }

FrameSource::~FrameSource() = default;

Status FrameSource::open(const QString &path, const FrameSourceOptions &options)
{
    d->options = options;
    if (!QFile::exists(path))
        return AppError{ ErrorCode::NotFound, QStringLiteral("no such file") };
    int ret
        = avformat_open_input(&d->format, QFile::encodeName(path).constData(), nullptr, nullptr);
    if (ret < 0) {
        return AppError{ ErrorCode::UnsupportedMediaType,
                         QStringLiteral("not a readable media file (%1)").arg(avError(ret)) };
    }
    if ((ret = avformat_find_stream_info(d->format, nullptr)) < 0)
        return corrupt(avError(ret));
    d->info.container = QString::fromLatin1(d->format->iformat->name);

    for (unsigned i = 0; i < d->format->nb_streams; ++i) {
        const AVStream *stream = d->format->streams[i];
        if (stream->codecpar->codec_type == AVMEDIA_TYPE_VIDEO
            && !(stream->disposition & AV_DISPOSITION_ATTACHED_PIC)) {
            d->videoIndex = int(i);
            break;
        }
    }
    if (d->videoIndex < 0)
        return AppError{ ErrorCode::UnsupportedMediaType, QStringLiteral("no video stream") };
    AVStream *stream = d->format->streams[d->videoIndex];
    const AVCodec *codec = avcodec_find_decoder(stream->codecpar->codec_id);
    d->info.codec = QString::fromLatin1(avcodec_get_name(stream->codecpar->codec_id));
    if (!codec) {
        return AppError{ ErrorCode::UnsupportedMediaType,
                         QStringLiteral("unsupported codec %1").arg(d->info.codec) };
    }
    if (const Status status = d->openUnpacker(stream))
        return status;
    d->video = avcodec_alloc_context3(codec);
    if (!d->video
        || avcodec_parameters_to_context(d->video,
                                         d->unpack ? d->unpack->par_out : stream->codecpar)
            < 0)
        return AppError{ ErrorCode::Internal, QStringLiteral("cannot allocate a decoder") };
    d->video->thread_count
        = options.decoderThreads > 0 ? options.decoderThreads : defaultDecoderThreads();
    d->video->thread_type = FF_THREAD_FRAME | FF_THREAD_SLICE;
    d->video->pkt_timebase = stream->time_base;
    if ((ret = avcodec_open2(d->video, codec, nullptr)) < 0) {
        // Out of threads (the decoder's own) or memory: the process's trouble, not the file's.
        if (ret == AVERROR(EAGAIN) || ret == AVERROR(ENOMEM)) {
            return AppError{
                ErrorCode::Internal,
                QStringLiteral("cannot open the %1 decoder (%2)").arg(d->info.codec, avError(ret))
            };
        }
        return AppError{
            ErrorCode::UnsupportedMediaType,
            QStringLiteral("unsupported codec %1 (%2)").arg(d->info.codec, avError(ret))
        };
    }
    if (stream->codecpar->width <= 0 || stream->codecpar->height <= 0)
        return corrupt(QStringLiteral("the video stream has no picture size"));

    d->info.width = stream->codecpar->width;
    d->info.height = stream->codecpar->height;
    const AVRational sar = av_guess_sample_aspect_ratio(d->format, stream, nullptr);
    const double pixelAspect = sar.num > 0 && sar.den > 0 ? av_q2d(sar) : 1.0;
    d->displayAspect = d->info.width * pixelAspect / d->info.height;
    d->info.rotation = displayRotation(stream);
    const AVRational rate = av_guess_frame_rate(d->format, stream, nullptr);
    d->info.fps = rate.num > 0 && rate.den > 0 ? av_q2d(rate) : 0;
    if (stream->duration > 0 && stream->duration != AV_NOPTS_VALUE)
        d->info.duration = double(stream->duration) * av_q2d(stream->time_base);
    else if (d->format->duration > 0 && d->format->duration != AV_NOPTS_VALUE)
        d->info.duration = double(d->format->duration) / AV_TIME_BASE;
    if (stream->nb_frames > 0)
        d->info.frameCount = stream->nb_frames;
    else if (d->info.duration > 0 && d->info.fps > 0)
        d->info.frameCount = qint64(std::llround(d->info.duration * d->info.fps));
    if (d->format->start_time != AV_NOPTS_VALUE)
        d->startPts = av_rescale_q(d->format->start_time, AV_TIME_BASE_Q, stream->time_base);
    // A truncated AVI reports the duration of what is left, but its header still counts
    // every frame.
    d->expectedEnd = d->info.duration;
    if (stream->nb_frames > 0 && stream->avg_frame_rate.num > 0 && stream->avg_frame_rate.den > 0)
        d->expectedEnd
            = std::max(d->expectedEnd, double(stream->nb_frames) / av_q2d(stream->avg_frame_rate));

    d->packet = av_packet_alloc();
    d->frame = av_frame_alloc();
    d->audioFrame = av_frame_alloc();
    if (!d->packet || !d->frame || !d->audioFrame)
        return AppError{ ErrorCode::Internal, QStringLiteral("out of memory") };

    if (options.decodeAudio) {
        if (const Status audioStatus = d->openAudio())
            qCWarning(lcAnalysis) << "audio ignored:" << audioStatus->message;
    }
    // Only the streams we decode are demuxed at all.
    for (unsigned i = 0; i < d->format->nb_streams; ++i) {
        if (int(i) != d->videoIndex && int(i) != d->audioIndex)
            d->format->streams[i]->discard = AVDISCARD_ALL;
    }
    d->openSegmentWorkers(codec, stream);
    // Demuxing, decoding and scaling run ahead in their own thread, so that they overlap with
    // the analysis of the frames before.
    // The first segment decoder starts now, the others once the first segment ends.
    if (!d->workers.empty() && !d->startWorker(*d->workers.front()))
        d->workers.clear(); // one decoder, in the decoding thread
    try {
        d->thread = std::thread([this] { d->run(); });
    } catch (const std::system_error &error) {
        d->stop();
        return AppError{ ErrorCode::Internal,
                         QStringLiteral("cannot start the decoding thread: %1")
                             .arg(QString::fromLocal8Bit(error.what())) };
    }
    return std::nullopt;
}

/// Segment decoding (SegmentWorker) when the decoder has no threads of its own, does not
/// reorder frames and there is more than one core for it; else the one decoder decodes all.
void FrameSource::Private::openSegmentWorkers(const AVCodec *codec, AVStream *stream)
{
    constexpr int threaded = AV_CODEC_CAP_FRAME_THREADS | AV_CODEC_CAP_SLICE_THREADS
        | AV_CODEC_CAP_OTHER_THREADS | AV_CODEC_CAP_HARDWARE;
    const AVCodecDescriptor *descriptor = avcodec_descriptor_get(codec->id);
    const AVCodecParameters *parameters = stream->codecpar;
    // Palettes come as side data of the packet where they change, which the other workers
    // would not see.
    const bool palette = parameters->format == AV_PIX_FMT_PAL8
        || (parameters->bits_per_coded_sample > 0 && parameters->bits_per_coded_sample <= 8);
    if ((codec->capabilities & threaded) || !descriptor
        || (descriptor->props & AV_CODEC_PROP_REORDER) || parameters->video_delay > 0 || palette)
        return;
    // As many as the cores, and as memory allows: each may hold several pictures ahead.
    int pictureBytes
        = av_image_get_buffer_size(AVPixelFormat(parameters->format), info.width, info.height, 1);
    if (pictureBytes <= 0)
        pictureBytes = info.width * info.height * 4;
    const int threads = int(std::min<size_t>(
        { size_t(options.decoderThreads > 0 ? options.decoderThreads : defaultDecoderThreads()),
          size_t(kMaxSegmentWorkers), kAheadBytes / kQueueCapacity / size_t(pictureBytes) }));
    if (threads < 2)
        return;
    intraOnly = descriptor->props & AV_CODEC_PROP_INTRA_ONLY;
    const auto openDecoder = [&](AVCodecContext **context) {
        *context = avcodec_alloc_context3(codec);
        if (!*context || avcodec_parameters_to_context(*context, parameters) < 0)
            return false;
        (*context)->thread_count = 1;
        (*context)->thread_type = 0;
        (*context)->pkt_timebase = stream->time_base;
        return avcodec_open2(*context, codec, nullptr) >= 0;
    };
    for (int i = 0; i < threads; ++i) {
        auto worker = std::make_unique<SegmentWorker>();
        worker->number = i;
        worker->frame = av_frame_alloc();
        if (!worker->frame || !openDecoder(&worker->codec)) {
            workers.clear();
            return;
        }
        workers.push_back(std::move(worker));
    }
    aheadFrames = kAheadBytes / workers.size() / size_t(pictureBytes);
    firstSegmentPackets = int(std::max<qint64>(
        kMinSegmentPackets, (options.firstSegmentBytes + pictureBytes - 1) / qint64(pictureBytes)));
    inputBytesEach = kInputBytes / workers.size();
}

/// DivX and Xvid AVIs often store a B-frame together with the P-frame before it ("packed
/// B-frames"). FFmpeg decodes them, but its frame threads then wait for each other: Megamind.avi
/// decodes slower with two threads than with one (0.112 against 0.074 s here). Split, as FFmpeg's
/// own warning advises, the same stream decodes in 0.062 s with two; the filter passes other
/// MPEG-4 streams through unchanged.
Status FrameSource::Private::openUnpacker(const AVStream *stream)
{
    if (stream->codecpar->codec_id != AV_CODEC_ID_MPEG4)
        return std::nullopt;
    const AVBitStreamFilter *filter = av_bsf_get_by_name("mpeg4_unpack_bframes");
    if (!filter)
        return std::nullopt; // an FFmpeg without it decodes the packed frames all the same
    filtered = av_packet_alloc();
    if (!filtered || av_bsf_alloc(filter, &unpack) < 0
        || avcodec_parameters_copy(unpack->par_in, stream->codecpar) < 0)
        return AppError{ ErrorCode::Internal, QStringLiteral("out of memory") };
    unpack->time_base_in = stream->time_base;
    if (const int ret = av_bsf_init(unpack); ret < 0) {
        qCWarning(lcAnalysis) << "mpeg4_unpack_bframes unavailable:" << avError(ret);
        av_bsf_free(&unpack);
    }
    return std::nullopt;
}

/// Gives a demuxed video packet (null: the end) to the decoder, through the unpacker if there
/// is one. Takes the packet's reference.
Status FrameSource::Private::sendVideo(AVPacket *videoPacket)
{
    if (unpack) {
        if (av_bsf_send_packet(unpack, videoPacket) < 0) {
            ++decodeErrors;
            if (videoPacket)
                av_packet_unref(videoPacket);
        }
        return std::nullopt;
    }
    const int sent = avcodec_send_packet(video, videoPacket);
    if (videoPacket)
        av_packet_unref(videoPacket);
    if (sent < 0 && sent != AVERROR(EAGAIN) && sent != AVERROR_EOF)
        ++decodeErrors;
    return std::nullopt;
}

Status FrameSource::Private::openAudio()
{
    const int best = av_find_best_stream(format, AVMEDIA_TYPE_AUDIO, -1, videoIndex, nullptr, 0);
    if (best < 0)
        return std::nullopt;
    const AVStream *stream = format->streams[best];
    info.audioCodec = QString::fromLatin1(avcodec_get_name(stream->codecpar->codec_id));
    const AVCodec *codec = avcodec_find_decoder(stream->codecpar->codec_id);
    if (!codec)
        return AppError{ ErrorCode::UnsupportedMediaType, QStringLiteral("no audio decoder") };
    audio = avcodec_alloc_context3(codec);
    if (!audio || avcodec_parameters_to_context(audio, stream->codecpar) < 0)
        return AppError{ ErrorCode::Internal, QStringLiteral("cannot allocate an audio decoder") };
    audio->pkt_timebase = stream->time_base;
    if (const int ret = avcodec_open2(audio, codec, nullptr); ret < 0) {
        avcodec_free_context(&audio);
        return AppError{ ErrorCode::UnsupportedMediaType, avError(ret) };
    }
    audioIndex = best;
    info.hasAudio = true;
    return std::nullopt;
}

const MediaInfo &FrameSource::info() const
{
    return d->info;
}

void FrameSource::Private::scaleForAnalysis(const AVFrame *source, AnalysisFrame &out,
                                            AnalysisScaler &scaler) const
{
    // Not turned: the analysis reads colours and motion, which do not care.
    const TurnedSize size
        = turnedSize(options.analysisWidth, info.width, info.height, displayAspect, 0, true);
    const int width = size.width;
    const int height = size.height;
    out.width = width;
    out.height = height;
    out.stride = FFALIGN(width * 3, 32);
    if (out.pixels.size() < size_t(out.stride) * height + 32)
        out.pixels.resize(size_t(out.stride) * height + 32);
    // The analysis frame only feeds averages over blocks of it: the pixel at each output
    // pixel's centre is enough. swscale, for the formats the sampler does not read.
    if (!scaler.sampler.sample(source, width, height, out.pixels.data(), out.stride)) {
        quint8 *const dst[4] = { out.pixels.data(), nullptr, nullptr, nullptr };
        const int dstStride[4] = { out.stride, 0, 0, 0 };
        scaleFrame(source, width, height, AV_PIX_FMT_BGR24, SWS_POINT, dst, dstStride, &scaler.sws);
    }
}

bool FrameSource::Private::push(Item item)
{
    std::unique_lock lock(mutex);
    if (queue.size() >= kQueueCapacity) {
        producerWaiting = true;
        changed.wait(lock,
                     [this] { return stopping || queue.size() + kWakeBatch <= kQueueCapacity; });
        producerWaiting = false;
    }
    if (stopping)
        return false;
    const bool terminal = item.event == FrameSource::Event::End || item.error.has_value();
    queue.push_back(std::move(item));
    terminalQueued = terminalQueued || terminal;
    if (consumerWaiting && (queue.size() >= consumerWants || terminal))
        changed.notify_all();
    return true;
}

void FrameSource::Private::stop()
{
    {
        std::lock_guard lock(mutex);
        stopping = true;
        changed.notify_all();
        for (const auto &worker : workers)
            worker->wake.notify_one();
    }
    joinThreads();
}

namespace {

double threadCpuSeconds()
{
    timespec now{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return double(now.tv_sec) + double(now.tv_nsec) / 1e9;
}

} // namespace

void FrameSource::Private::run()
{
    setCurrentThreadName(workers.empty() ? "mmv-decode" : "mmv-demux");
    struct CpuTime
    {
        std::atomic<double> &seconds;
        ~CpuTime() { seconds = threadCpuSeconds(); }
    } cpu{ threadSeconds };
    while (!finished) {
        if (const Status status = step()) {
            Item item;
            item.error = *status;
            push(std::move(item));
            return;
        }
        std::lock_guard lock(mutex);
        if (stopping)
            return;
    }
}

Result<bool> FrameSource::Private::receiveVideo()
{
    for (;;) {
        const int ret = avcodec_receive_frame(video, frame);
        if (ret == AVERROR(EAGAIN))
            return false;
        if (ret == AVERROR_EOF) {
            videoFinished = true;
            return false;
        }
        if (ret < 0) {
            ++decodeErrors;
            continue;
        }
        if (damaged(frame))
            ++decodeErrors;
        Item item = videoItem(frame);
        if (!item.frame)
            return AppError{ ErrorCode::Internal, QStringLiteral("out of memory") };
        stamp(item);
        return push(std::move(item));
    }
}

/// Numbers a decoded frame and gives it its time. In the decoding thread, or with segment
/// decoding in the analysing one, where the frames come in order.
void FrameSource::Private::stamp(Item &item)
{
    const AVStream *stream = format->streams[videoIndex];
    const double step = info.fps > 0 ? 1.0 / info.fps : 0.04;
    const qint64 pts = item.frame->best_effort_timestamp;
    double t
        = pts == AV_NOPTS_VALUE ? time + step : double(pts - startPts) * av_q2d(stream->time_base);
    // Shot boundaries and shares need a monotonic clock even when timestamps are broken.
    if (index >= 0 && t <= time)
        t = time + step;
    time = std::max(0.0, t);
    ++index;
    item.index = index;
    item.time = time;
}

Status FrameSource::Private::decodeAudioPacket(const AVPacket *audioPacket)
{
    if (avcodec_send_packet(audio, audioPacket) < 0)
        return std::nullopt; // a damaged audio packet only costs its samples
    for (;;) {
        const int ret = avcodec_receive_frame(audio, audioFrame);
        if (ret < 0)
            return std::nullopt;
        if (!swr) {
            AVChannelLayout mono = AV_CHANNEL_LAYOUT_MONO;
            if (swr_alloc_set_opts2(&swr, &mono, AV_SAMPLE_FMT_FLT, options.audioSampleRate,
                                    &audioFrame->ch_layout, AVSampleFormat(audioFrame->format),
                                    audioFrame->sample_rate, 0, nullptr)
                    < 0
                || swr_init(swr) < 0) {
                swr_free(&swr);
                return AppError{ ErrorCode::Internal, QStringLiteral("cannot resample the audio") };
            }
            const AVStream *stream = format->streams[audioIndex];
            const double start = format->start_time == AV_NOPTS_VALUE
                ? 0
                : double(format->start_time) / AV_TIME_BASE;
            audioStart = audioFrame->best_effort_timestamp == AV_NOPTS_VALUE
                ? 0
                : std::max(0.0,
                           double(audioFrame->best_effort_timestamp) * av_q2d(stream->time_base)
                               - start);
        }
        const int capacity = swr_get_out_samples(swr, audioFrame->nb_samples);
        const size_t offset = samples.size();
        samples.resize(offset + size_t(std::max(0, capacity)));
        auto *out = reinterpret_cast<quint8 *>(samples.data() + offset);
        const int converted = swr_convert(swr, &out, capacity,
                                          const_cast<const quint8 **>(audioFrame->extended_data),
                                          audioFrame->nb_samples);
        samples.resize(offset + size_t(std::max(0, converted)));
        av_frame_unref(audioFrame);
    }
}

/// Hands the resampled audio over in chunks of a tenth of a second or more.
void FrameSource::Private::flushAudio(bool final)
{
    if (final && swr) {
        const int capacity = swr_get_out_samples(swr, 0);
        if (capacity > 0) {
            const size_t offset = samples.size();
            samples.resize(offset + size_t(capacity));
            auto *out = reinterpret_cast<quint8 *>(samples.data() + offset);
            const int flushed = swr_convert(swr, &out, capacity, nullptr, 0);
            samples.resize(offset + size_t(std::max(0, flushed)));
        }
    }
    if (samples.empty() || (!final && samples.size() < size_t(options.audioSampleRate / 10)))
        return;
    Item item;
    item.event = FrameSource::Event::Audio;
    item.audioTime = audioStart + double(audioSamplesSent) / options.audioSampleRate;
    audioSamplesSent += qint64(samples.size());
    item.samples = std::move(samples);
    samples.clear();
    push(std::move(item));
}

Status FrameSource::Private::checkCompleteness() const
{
    if (index < 0)
        return corrupt(QStringLiteral("no video frame could be decoded"));
    const double frameStep = info.fps > 0 ? 1.0 / info.fps : 0.04;
    // Packets count as well as frames: a variable frame rate AVI has empty packets for
    // repeated frames, which decode to nothing.
    const double end = std::max(time + frameStep, packetEnd);
    if (expectedEnd > 0 && end < expectedEnd - std::max(1.0, 0.05 * expectedEnd)) {
        return corrupt(QStringLiteral("the video stops at %1 s of %2 s%3")
                           .arg(end, 0, 'f', 2)
                           .arg(expectedEnd, 0, 'f', 2)
                           .arg(readFailed ? QStringLiteral(" (%1)").arg(readError) : QString()));
    }
    if (decodeErrors >= 5 && decodeErrors * 4 > index + 1) {
        return corrupt(QStringLiteral("%1 of %2 video frames failed to decode")
                           .arg(decodeErrors)
                           .arg(index + 1));
    }
    return std::nullopt;
}

/// One unit of work of the decoding thread: a packet read and decoded, or the end.
Status FrameSource::Private::step()
{
    if (!videoFinished && workers.empty()) {
        const Result<bool> received = receiveVideo();
        if (!received)
            return received.error();
        if (received.value())
            return std::nullopt;
    }
    // What the unpacker has ready goes to the decoder before anything new is read; its end is
    // the decoder's.
    if (unpack && !unpackFinished) {
        const int ret = av_bsf_receive_packet(unpack, filtered);
        if (ret == 0) {
            const int sent = avcodec_send_packet(video, filtered);
            av_packet_unref(filtered);
            if (sent < 0 && sent != AVERROR(EAGAIN))
                ++decodeErrors;
            return std::nullopt;
        }
        if (ret == AVERROR_EOF) {
            unpackFinished = true;
            avcodec_send_packet(video, nullptr);
            return std::nullopt;
        }
        if (ret != AVERROR(EAGAIN)) {
            ++decodeErrors; // a damaged packet: the filter drops it and goes on
            return std::nullopt;
        }
    }
    if (readFinished && !workers.empty()) {
        flushAudio(true);
        endSegments();
        finished = true; // the analysis checks the completeness once it has every frame
        return std::nullopt;
    }
    if (readFinished) {
        if (!videoFinished)
            return std::nullopt; // the decoder still drains its delayed frames
        flushAudio(true);
        if (const Status status = checkCompleteness())
            return status;
        finished = true;
        Item item;
        item.event = FrameSource::Event::End;
        push(std::move(item));
        return std::nullopt;
    }

    const int ret = av_read_frame(format, packet);
    if (ret < 0) {
        if (ret != AVERROR_EOF) {
            readFailed = true;
            readError = avError(ret);
        }
        readFinished = true;
        if (workers.empty())
            sendVideo(nullptr);
        if (audio)
            decodeAudioPacket(nullptr);
        return std::nullopt;
    }
    if (packet->stream_index == videoIndex) {
        if (packet->flags & AV_PKT_FLAG_CORRUPT)
            ++decodeErrors;
        const qint64 pts = packet->pts != AV_NOPTS_VALUE ? packet->pts : packet->dts;
        if (pts != AV_NOPTS_VALUE) {
            packetEnd = std::max(packetEnd,
                                 double(pts + std::max<qint64>(0, packet->duration) - startPts)
                                     * av_q2d(format->streams[videoIndex]->time_base));
        }
        return workers.empty() ? sendVideo(packet) : dealVideo(packet);
    }
    if (packet->stream_index == audioIndex) {
        const Status status = decodeAudioPacket(packet);
        av_packet_unref(packet);
        if (!status)
            flushAudio(false);
        return status;
    }
    av_packet_unref(packet);
    return std::nullopt;
}

/// Hands a packet (null: the end of a segment) to a worker, waiting while its input is full.
/// False when stopping.
bool FrameSource::Private::feed(SegmentWorker &worker, AVPacket *videoPacket)
{
    std::unique_lock lock(mutex);
    while (!stopping && videoPacket && worker.inputBytes > inputBytesEach) {
        demuxWaiting = true;
        changed.wait(lock);
    }
    demuxWaiting = false;
    if (stopping) {
        av_packet_free(&videoPacket);
        return false;
    }
    worker.input.push_back(videoPacket);
    worker.inputBytes += videoPacket ? size_t(videoPacket->size) : 0;
    if (worker.waitingForInput)
        worker.wake.notify_one();
    return true;
}

/// Deals a demuxed video packet to the worker of its segment; a keyframe after enough packets
/// starts the next segment. Takes the packet's reference.
Status FrameSource::Private::dealVideo(AVPacket *videoPacket)
{
    if (videoPacket->size <= 0) { // nothing to decode (repeated frames of variable-rate AVIs)
        av_packet_unref(videoPacket);
        return std::nullopt;
    }
    // A new segment starts at a keyframe. The flags are the container's word for it, and an
    // AVI without its index (a cut-off file, some writers) flags every packet: they count only
    // where they evidently mean something, with frames not flagged in between, and only if the
    // packet decodes alone, cleanly, to a keyframe. A packet that changes the decoder's setup
    // (a palette, new extradata) sends the rest of the file to the worker it went to.
    const bool key = videoPacket->flags & AV_PKT_FLAG_KEY;
    for (const AVPacketSideDataType type :
         { AV_PKT_DATA_PALETTE, AV_PKT_DATA_NEW_EXTRADATA, AV_PKT_DATA_PARAM_CHANGE }) {
        if (av_packet_get_side_data(videoPacket, type, nullptr))
            noMoreSegments = true;
    }
    const int longEnough = dealtSegment > 0 ? kMinSegmentPackets : firstSegmentPackets;
    if (key && dealtPackets >= longEnough && (intraOnly || dealtNonKey) && !noMoreSegments
        && (intraOnly || decodesAlone(videoPacket))) {
        SegmentWorker &next = workerFor(dealtSegment + 1);
        if (!next.thread.joinable() && !startWorker(next))
            noMoreSegments = true; // the worker that has the segment goes on with the rest
        else {
            if (!feed(workerFor(dealtSegment), nullptr))
                return std::nullopt;
            ++dealtSegment;
            dealtPackets = 0;
            dealtNonKey = false;
        }
    }
    dealtNonKey = dealtNonKey || !key;
    AVPacket *dealt = av_packet_alloc();
    if (!dealt)
        return AppError{ ErrorCode::Internal, QStringLiteral("out of memory") };
    av_packet_move_ref(dealt, videoPacket);
    ++dealtPackets;
    feed(workerFor(dealtSegment), dealt);
    return std::nullopt;
}

/// Whether the packet decodes to a keyframe without errors in a decoder that has seen nothing
/// before: a segment may start there. A damaged keyframe is better decoded where the frames
/// before it were (as one decoder would have). The decoding thread's own decoder tries it: with
/// segment decoding it decodes nothing else.
bool FrameSource::Private::decodesAlone(const AVPacket *videoPacket)
{
    avcodec_flush_buffers(video);
    if (avcodec_send_packet(video, videoPacket) < 0)
        return false;
    int ret = avcodec_receive_frame(video, frame);
    if (ret == AVERROR(EAGAIN)) {
        avcodec_send_packet(video, nullptr);
        ret = avcodec_receive_frame(video, frame);
    }
    const bool clean = ret >= 0 && frame->key_frame && !damaged(frame);
    av_frame_unref(frame);
    return clean;
}

/// The demuxing thread's end: the last segment closed, the count of them published.
void FrameSource::Private::endSegments()
{
    if (dealtPackets > 0 && !feed(workerFor(dealtSegment), nullptr))
        return;
    std::lock_guard lock(mutex);
    demuxDone = true;
    segmentCount = dealtPackets > 0 ? dealtSegment + 1 : dealtSegment;
    changed.notify_all();
    for (const auto &worker : workers)
        worker->wake.notify_one();
}

void FrameSource::Private::runWorker(SegmentWorker &worker)
{
    setCurrentThreadName(qPrintable(QStringLiteral("mmv-decode-%1").arg(worker.number)));
    for (;;) {
        AVPacket *videoPacket = nullptr;
        {
            std::unique_lock lock(mutex);
            while (!stopping && worker.input.empty() && !demuxDone) {
                worker.waitingForInput = true;
                worker.wake.wait(lock);
            }
            worker.waitingForInput = false;
            if (stopping || worker.input.empty())
                break;
            videoPacket = worker.input.front();
            worker.input.pop_front();
            if (videoPacket) {
                worker.inputBytes -= size_t(videoPacket->size);
                if (demuxWaiting && worker.inputBytes <= inputBytesEach)
                    changed.notify_all();
            }
        }
        const Status status = decodeSegmentPacket(worker, videoPacket);
        av_packet_free(&videoPacket);
        if (status) {
            // Else the analysis would wait for this worker's frames forever (push() drops it
            // when stopping).
            Item item;
            item.error = *status;
            push(std::move(item));
            break;
        }
    }
    worker.cpuSeconds = threadCpuSeconds();
}

/// Decodes one packet of a segment, or (null) drains the decoder at the segment's end, and
/// delivers what comes out. An error when out of memory or stopping.
Status FrameSource::Private::decodeSegmentPacket(SegmentWorker &worker, const AVPacket *videoPacket)
{
    const AppError stopped{ ErrorCode::Unavailable, QStringLiteral("stopped") };
    // The decoder was read down to EAGAIN after the packet before: it takes this one.
    const int sent = avcodec_send_packet(worker.codec, videoPacket);
    if (sent < 0 && sent != AVERROR(EAGAIN) && sent != AVERROR_EOF)
        ++worker.errors;
    for (;;) {
        const int ret = avcodec_receive_frame(worker.codec, worker.frame);
        if (ret == AVERROR(EAGAIN) || ret == AVERROR_EOF)
            break;
        if (ret < 0) {
            ++worker.errors;
            continue;
        }
        AVFrame *decoded = worker.frame;
        if (damaged(decoded))
            ++worker.errors;
        if (worker.segmentStart) {
            // A segment that does not start at a keyframe decodes from nothing (gray): the
            // container flagged a frame that is not one.
            const bool fileStart = worker.number == 0 && worker.segmentsClosed == 0;
            if (!fileStart && !decoded->key_frame && !noMoreSegments.exchange(true)) {
                qCWarning(lcAnalysis) << "segment decoding: a segment started at a frame"
                                      << "that is not a keyframe; one decoder from here";
            }
            worker.segmentStart = false;
        }
        Item item = videoItem(decoded);
        if (!item.frame)
            return AppError{ ErrorCode::Internal, QStringLiteral("out of memory") };
        // Sampled here, where the picture is still in this core's cache, and in parallel.
        scaleForAnalysis(item.frame.get(), item.analysis, worker.scaler);
        if (!deliver(worker, std::move(item)))
            return stopped;
    }
    if (videoPacket)
        return std::nullopt;
    avcodec_flush_buffers(worker.codec);
    worker.segmentStart = true;
    Item end;
    end.event = FrameSource::Event::End;
    return deliver(worker, std::move(end)) ? std::nullopt : std::optional(stopped);
}

/// Puts a decoded frame, or a segment's end, in the worker's output; waits while it is full.
bool FrameSource::Private::deliver(SegmentWorker &worker, Item item)
{
    std::unique_lock lock(mutex);
    const bool segmentEnd = item.event == FrameSource::Event::End;
    while (!stopping && !segmentEnd && worker.outputFrames >= roomAhead()) {
        worker.waitingForRoom = true;
        worker.wake.wait(lock);
    }
    worker.waitingForRoom = false;
    if (stopping)
        return false;
    // Of the segment the analysis is on (which the waiting analysis waits for), or ahead.
    const bool taken
        = worker.number + worker.segmentsClosed * qint64(workers.size()) == takenSegment;
    item.ahead = !taken;
    worker.outputFrames += segmentEnd ? 0 : 1;
    worker.segmentsClosed += segmentEnd ? 1 : 0;
    worker.output.push_back(std::move(item));
    if (consumerWaiting && taken && (segmentEnd || worker.output.size() >= consumerWants))
        changed.notify_all();
    return true;
}

/// With segment decoding: the next item for the analysis into `current`, audio first, then
/// the frames of one segment after the other. False when everything has been taken.
bool FrameSource::Private::takeSegmented()
{
    std::unique_lock lock(mutex);
    std::chrono::steady_clock::duration waited{};
    for (;;) {
        if (!queue.empty()) { // audio, or the demuxing thread's error
            current = std::move(queue.front());
            queue.pop_front();
            if (producerWaiting && queue.size() + kWakeBatch <= kQueueCapacity)
                changed.notify_all();
            return true;
        }
        if (allTaken())
            return false;
        SegmentWorker &worker = workerFor(takenSegment);
        if (!worker.output.empty()) {
            Item item = std::move(worker.output.front());
            worker.output.pop_front();
            if (item.event == FrameSource::Event::End) {
                ++takenSegment;
                continue;
            }
            --worker.outputFrames;
            if (worker.waitingForRoom && worker.outputFrames + kWakeBatch <= roomAhead())
                worker.wake.notify_one();
            current = std::move(item);
            consumerWants = kWakeBatch;
            judgePace(!current.ahead, waited);
            return true;
        }
        const auto waitStart = std::chrono::steady_clock::now();
        consumerWaiting = true;
        const auto batched = [&] {
            return !queue.empty() || worker.output.size() >= consumerWants
                || (!worker.output.empty() && worker.output.back().event == FrameSource::Event::End)
                || allTaken();
        };
        if (!changed.wait_for(lock, kBatchWait, batched)) {
            changed.wait(lock,
                         [&] { return !queue.empty() || !worker.output.empty() || allTaken(); });
        }
        consumerWaiting = false;
        waited += std::chrono::steady_clock::now() - waitStart;
    }
}

/// Whether the decoders had better decode ahead (decodeBound), from the frames taken `live`
/// (decoded while the analysis was on their segment; see kPaceWindow), each after `waited` for
/// it. Under the mutex.
void FrameSource::Private::judgePace(bool live, std::chrono::steady_clock::duration waited)
{
    const auto now = std::chrono::steady_clock::now();
    const auto spent = now - lastTaken;
    const bool first = lastTaken == std::chrono::steady_clock::time_point();
    lastTaken = now;
    if (!live || first)
        return;
    paceSpent += spent;
    paceWaited += waited;
    if (++paceFrames < kPaceWindow)
        return;
    const double share = std::chrono::duration<double>(paceWaited).count()
        / std::max(1e-9, std::chrono::duration<double>(paceSpent).count());
    const bool wasBound = decodeBound;
    const bool waitedEnough = share >= kDecodeBoundShare;
    if (waitedEnough == lastWindowWaited)
        decodeBound = waitedEnough;
    lastWindowWaited = waitedEnough;
    if (decodeBound && !wasBound) {
        for (const auto &worker : workers)
            worker->wake.notify_one();
    }
    paceSpent = {};
    paceWaited = {};
    paceFrames = 0;
}

/// Starts a worker's thread: the first in open() before the demuxing thread, the others in the
/// demuxing thread (joinThreads() joins that one first).
bool FrameSource::Private::startWorker(SegmentWorker &worker)
{
    try {
        worker.thread = std::thread([this, &worker] { runWorker(worker); });
        return true;
    } catch (const std::system_error &error) {
        qCWarning(lcAnalysis) << "cannot start a decoder thread:" << error.what();
        return false;
    }
}

/// Waits for the decoding thread and the workers to end.
void FrameSource::Private::joinThreads()
{
    if (thread.joinable())
        thread.join();
    for (const auto &worker : workers) {
        if (worker->thread.joinable())
            worker->thread.join();
    }
}

Result<FrameSource::Event> FrameSource::next()
{
    if (d->ended)
        return Event::End;
    if (d->current.error) // it stays the answer: the decoding thread has ended
        return *d->current.error;
    if (!d->thread.joinable())
        return AppError{ ErrorCode::Internal, QStringLiteral("the media file is not open") };
    if (!d->workers.empty()) {
        if (!d->takeSegmented()) {
            // Every frame is in: the decoding is judged here, where the frames were counted.
            d->joinThreads();
            for (const auto &worker : d->workers)
                d->decodeErrors += std::exchange(worker->errors, 0);
            d->current = Item();
            if (const Status status = d->checkCompleteness()) {
                d->current.error = *status;
                return *status;
            }
            d->ended = true;
            return Event::End;
        }
        if (d->current.event == Event::Video) {
            d->stamp(d->current);
            std::swap(d->analysis, d->current.analysis);
        }
    } else {
        std::unique_lock lock(d->mutex);
        if (d->queue.empty()) {
            d->consumerWaiting = true;
            const auto batched
                = [this] { return d->queue.size() >= d->consumerWants || d->terminalQueued; };
            if (!d->changed.wait_for(lock, kBatchWait, batched))
                d->changed.wait(lock, [this] { return !d->queue.empty(); });
            d->consumerWaiting = false;
        }
        d->current = std::move(d->queue.front());
        d->queue.pop_front();
        // The analysis starts on the first frame, and then takes them in batches.
        d->consumerWants = kWakeBatch;
        if (d->producerWaiting && d->queue.size() + kWakeBatch <= kQueueCapacity)
            d->changed.notify_all();
    }
    if (d->current.error)
        return *d->current.error;
    d->ended = d->current.event == Event::End;
    // With one decoder, scaling here rather than in the decoding thread balances the two
    // threads best; segment decoders sample their own frames.
    if (d->current.event == Event::Video && d->workers.empty())
        d->scaleForAnalysis(d->current.frame.get(), d->analysis, d->scaler);
    return d->current.event;
}

qint64 FrameSource::frameIndex() const
{
    return d->current.index;
}

double FrameSource::frameTime() const
{
    return d->current.time;
}

FrameView FrameSource::analysisFrame() const
{
    const AnalysisFrame &s = d->analysis;
    return FrameView{ s.pixels.data(), s.width, s.height, s.stride, d->current.time };
}

Picture FrameSource::picture() const
{
    Picture picture;
    if (!d->current.frame)
        return picture;
    picture.d = std::make_shared<Picture::Private>();
    picture.d->frame.reset(av_frame_clone(d->current.frame.get()));
    picture.d->displayAspect = d->displayAspect;
    picture.d->rotation = d->info.rotation;
    return picture;
}

const std::vector<float> &FrameSource::audioSamples() const
{
    return d->current.event == Event::Audio ? d->current.samples : d->noSamples;
}

double FrameSource::audioTime() const
{
    return d->current.audioTime;
}

double FrameSource::decodingThreadSeconds()
{
    // After End the threads have nothing left to do but return: wait for their figures.
    if (!d->ended)
        return 0;
    d->joinThreads();
    double seconds = d->threadSeconds;
    for (const auto &worker : d->workers)
        seconds += worker->cpuSeconds;
    return seconds;
}

int FrameSource::segmentDecoders() const
{
    return int(d->workers.size());
}

qint64 FrameSource::segments() const
{
    std::lock_guard lock(d->mutex);
    return d->takenSegment;
}

int FrameSource::framesBuffered() const
{
    std::lock_guard lock(d->mutex);
    size_t frames = size_t(std::count_if(d->queue.begin(), d->queue.end(), [](const Item &item) {
        return item.event == Event::Video;
    }));
    for (const auto &worker : d->workers)
        frames += worker->outputFrames;
    return int(frames);
}

int FrameSource::audioSampleRate() const
{
    return d->options.audioSampleRate;
}

} // namespace mmv::analysis
