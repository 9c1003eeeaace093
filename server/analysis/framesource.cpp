#include "framesource.h"

#include "server/core/logging.h"

#include <QFile>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/avutil.h>
#include <libavutil/channel_layout.h>
#include <libavutil/imgutils.h>
#include <libswresample/swresample.h>
#include <libswscale/swscale.h>
}

#include <algorithm>
#include <cmath>
#include <map>

namespace mmv::analysis {

namespace {

QString avError(int code)
{
    char buffer[AV_ERROR_MAX_STRING_SIZE] = {};
    av_strerror(code, buffer, sizeof buffer);
    return QString::fromUtf8(buffer);
}

AppError corrupt(const QString &detail)
{
    return AppError{ ErrorCode::UnsupportedMediaType,
                     QStringLiteral("truncated or corrupt file: %1").arg(detail) };
}

/// A BGR image owned by the source, rescaled from each decoded frame.
struct Scaled
{
    SwsContext *sws = nullptr;
    std::vector<quint8> pixels;
    int width = 0;
    int height = 0;
    int stride = 0;
    qint64 frame = -1; ///< the frame index the pixels belong to
};

} // namespace

struct FrameSource::Private
{
    ~Private()
    {
        for (auto &[width, scaled] : scaledByWidth)
            sws_freeContext(scaled.sws);
        sws_freeContext(analysis.sws);
        swr_free(&swr);
        av_frame_free(&frame);
        av_frame_free(&audioFrame);
        av_packet_free(&packet);
        avcodec_free_context(&video);
        avcodec_free_context(&audio);
        avformat_close_input(&format);
    }

    Status openAudio();
    Result<bool> receiveVideo();
    Status decodeAudioPacket(const AVPacket *audioPacket);
    void convert(Scaled &target, int width);
    int heightFor(int width) const;
    Status checkCompleteness() const;

    FrameSourceOptions options;
    MediaInfo info;
    AVFormatContext *format = nullptr;
    AVCodecContext *video = nullptr;
    AVCodecContext *audio = nullptr;
    SwrContext *swr = nullptr;
    AVPacket *packet = nullptr;
    AVFrame *frame = nullptr;
    AVFrame *audioFrame = nullptr;
    int videoIndex = -1;
    int audioIndex = -1;
    double displayAspect = 1; ///< width / height as displayed
    qint64 startPts = 0; ///< container start, in the video stream's time base

    Scaled analysis;
    std::map<int, Scaled> scaledByWidth;
    qint64 index = -1;
    double time = -1;
    double lastTime = -1;
    bool readFinished = false;
    bool readFailed = false;
    QString readError;
    bool videoFinished = false;
    int packets = 0;
    int decodeErrors = 0;

    std::vector<float> samples;
    qint64 audioSamplesDelivered = 0;
    double audioStart = -1;
    double audioChunkTime = 0;
    double position = 0;
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
    int ret = avformat_open_input(&d->format, QFile::encodeName(path).constData(), nullptr, nullptr);
    if (ret < 0) {
        return AppError{ ErrorCode::UnsupportedMediaType,
                         QStringLiteral("cannot open the file: %1").arg(avError(ret)) };
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
    d->video = avcodec_alloc_context3(codec);
    if (!d->video || avcodec_parameters_to_context(d->video, stream->codecpar) < 0)
        return AppError{ ErrorCode::Internal, QStringLiteral("cannot allocate a decoder") };
    d->video->thread_count = std::max(0, options.decoderThreads);
    d->video->thread_type = FF_THREAD_FRAME | FF_THREAD_SLICE;
    d->video->pkt_timebase = stream->time_base;
    if ((ret = avcodec_open2(d->video, codec, nullptr)) < 0) {
        return AppError{ ErrorCode::UnsupportedMediaType,
                         QStringLiteral("unsupported codec %1: %2").arg(d->info.codec, avError(ret)) };
    }
    if (stream->codecpar->width <= 0 || stream->codecpar->height <= 0)
        return corrupt(QStringLiteral("the video stream has no picture size"));

    d->info.width = stream->codecpar->width;
    d->info.height = stream->codecpar->height;
    const AVRational sar = av_guess_sample_aspect_ratio(d->format, stream, nullptr);
    const double pixelAspect = sar.num > 0 && sar.den > 0 ? av_q2d(sar) : 1.0;
    d->displayAspect = d->info.width * pixelAspect / d->info.height;
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

int FrameSource::Private::heightFor(int width) const
{
    const int height = int(std::lround(width / displayAspect));
    return std::max(2, height + (height & 1));
}

void FrameSource::Private::convert(Scaled &target, int requestedWidth)
{
    const int width = std::max(16, std::min(requestedWidth, info.width) & ~1);
    const int height = heightFor(width);
    // Area averaging avoids the aliasing of bilinear at 2-4x reduction for nearly the same cost.
    target.sws = sws_getCachedContext(target.sws, frame->width, frame->height,
                                      AVPixelFormat(frame->format), width, height, AV_PIX_FMT_BGR24,
                                      SWS_AREA, nullptr, nullptr, nullptr);
    target.width = width;
    target.height = height;
    target.stride = FFALIGN(width * 3, 32);
    target.pixels.resize(size_t(target.stride) * height + 32);
    quint8 *dst[4] = { target.pixels.data(), nullptr, nullptr, nullptr };
    const int dstStride[4] = { target.stride, 0, 0, 0 };
    if (target.sws)
        sws_scale(target.sws, frame->data, frame->linesize, 0, frame->height, dst, dstStride);
    target.frame = index;
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
        if (frame->decode_error_flags || (frame->flags & AV_FRAME_FLAG_CORRUPT))
            ++decodeErrors;
        const AVStream *stream = format->streams[videoIndex];
        const double step = info.fps > 0 ? 1.0 / info.fps : 0.04;
        double t = frame->best_effort_timestamp == AV_NOPTS_VALUE
            ? lastTime + step
            : double(frame->best_effort_timestamp - startPts) * av_q2d(stream->time_base);
        // Shot boundaries and shares need a monotonic clock even when timestamps are broken.
        if (lastTime >= 0 && t <= lastTime)
            t = lastTime + step;
        time = std::max(0.0, t);
        lastTime = time;
        ++index;
        position = std::max(position, time);
        convert(analysis, options.analysisWidth);
        return true;
    }
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
            audioStart = audioFrame->best_effort_timestamp == AV_NOPTS_VALUE
                ? 0
                : std::max(0.0,
                           double(audioFrame->best_effort_timestamp)
                                   * av_q2d(stream->time_base)
                               - (format->start_time == AV_NOPTS_VALUE
                                      ? 0
                                      : double(format->start_time) / AV_TIME_BASE));
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

Status FrameSource::Private::checkCompleteness() const
{
    if (index < 0)
        return corrupt(QStringLiteral("no video frame could be decoded"));
    const double frameStep = info.fps > 0 ? 1.0 / info.fps : 0.04;
    const double end = time + frameStep;
    if (info.duration > 0 && end < info.duration - std::max(1.0, 0.05 * info.duration)) {
        return corrupt(QStringLiteral("the video stops at %1 s of %2 s%3")
                           .arg(end, 0, 'f', 2)
                           .arg(info.duration, 0, 'f', 2)
                           .arg(readFailed ? QStringLiteral(" (%1)").arg(readError) : QString()));
    }
    if (decodeErrors >= 5 && decodeErrors * 4 > index + 1) {
        return corrupt(
            QStringLiteral("%1 of %2 video frames failed to decode").arg(decodeErrors).arg(index + 1));
    }
    return std::nullopt;
}

Result<FrameSource::Event> FrameSource::next()
{
    if (!d->samples.empty()) {
        d->audioSamplesDelivered += qint64(d->samples.size());
        d->samples.clear();
    }
    for (;;) {
        if (!d->videoFinished) {
            const Result<bool> received = d->receiveVideo();
            if (!received)
                return received.error();
            if (received.value())
                return Event::Video;
        }
        if (d->readFinished) {
            if (!d->videoFinished)
                continue; // the decoder still drains its delayed frames
            if (d->audio && d->swr) {
                std::vector<float> tail(size_t(swr_get_out_samples(d->swr, 0)));
                auto *out = reinterpret_cast<quint8 *>(tail.data());
                const int flushed = swr_convert(d->swr, &out, int(tail.size()), nullptr, 0);
                if (flushed > 0) {
                    d->audioChunkTime = d->audioStart
                        + double(d->audioSamplesDelivered) / d->options.audioSampleRate;
                    d->samples.assign(tail.begin(), tail.begin() + flushed);
                    swr_free(&d->swr);
                    return Event::Audio;
                }
                swr_free(&d->swr);
            }
            if (const Status status = d->checkCompleteness())
                return *status;
            return Event::End;
        }

        const int ret = av_read_frame(d->format, d->packet);
        if (ret < 0) {
            if (ret != AVERROR_EOF) {
                d->readFailed = true;
                d->readError = avError(ret);
            }
            d->readFinished = true;
            avcodec_send_packet(d->video, nullptr);
            if (d->audio)
                d->decodeAudioPacket(nullptr);
            if (!d->samples.empty()) {
                d->audioChunkTime = d->audioStart
                    + double(d->audioSamplesDelivered) / d->options.audioSampleRate;
                return Event::Audio;
            }
            continue;
        }
        if (d->packet->stream_index == d->videoIndex) {
            ++d->packets;
            if (d->packet->flags & AV_PKT_FLAG_CORRUPT)
                ++d->decodeErrors;
            const int sent = avcodec_send_packet(d->video, d->packet);
            av_packet_unref(d->packet);
            if (sent < 0 && sent != AVERROR(EAGAIN))
                ++d->decodeErrors;
            continue;
        }
        if (d->packet->stream_index == d->audioIndex) {
            const Status status = d->decodeAudioPacket(d->packet);
            av_packet_unref(d->packet);
            if (status)
                return *status;
            if (!d->samples.empty()) {
                d->audioChunkTime = d->audioStart
                    + double(d->audioSamplesDelivered) / d->options.audioSampleRate;
                return Event::Audio;
            }
            continue;
        }
        av_packet_unref(d->packet);
    }
}

qint64 FrameSource::frameIndex() const
{
    return d->index;
}

double FrameSource::frameTime() const
{
    return d->time;
}

FrameView FrameSource::analysisFrame() const
{
    const Scaled &s = d->analysis;
    return FrameView{ s.pixels.data(), s.width, s.height, s.stride, d->time };
}

FrameView FrameSource::scaledFrame(int width)
{
    if (width >= d->info.width && d->analysis.width >= d->info.width)
        return analysisFrame();
    if (std::min(width, d->info.width) == d->analysis.width)
        return analysisFrame();
    Scaled &s = d->scaledByWidth[width];
    if (s.frame != d->index)
        d->convert(s, width);
    return FrameView{ s.pixels.data(), s.width, s.height, s.stride, d->time };
}

const std::vector<float> &FrameSource::audioSamples() const
{
    return d->samples;
}

double FrameSource::audioTime() const
{
    return d->audioChunkTime;
}

int FrameSource::audioSampleRate() const
{
    return d->options.audioSampleRate;
}

double FrameSource::position() const
{
    return d->position;
}

} // namespace mmv::analysis
