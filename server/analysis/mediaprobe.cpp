#include "mediaprobe.h"

#include "ffmpeglog.h"
#include "framesource.h"

#include <QFile>
#include <QFileInfo>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/avutil.h>
}

#include <memory>

namespace mmv::analysis {

namespace {

AppError unsupported(const QString &reason)
{
    return AppError{ ErrorCode::UnsupportedMediaType, reason };
}

/// Whether the file starts like a container we would recognise: then a failure to open it
/// means it is damaged rather than not a video at all.
bool looksLikeMediaContainer(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return false;
    const QByteArray head = file.read(16);
    return (head.size() >= 8
            && (head.mid(4, 4) == "ftyp" || head.mid(4, 4) == "moov" || head.mid(4, 4) == "mdat"))
        || head.startsWith("RIFF") || head.startsWith("\x1a\x45\xdf\xa3") || head.startsWith("OggS")
        || head.startsWith("FLV") || head.startsWith(QByteArray("\x00\x00\x01\xba", 4));
}

struct FormatCloser
{
    void operator()(AVFormatContext *context) const { avformat_close_input(&context); }
};
struct CodecCloser
{
    void operator()(AVCodecContext *context) const { avcodec_free_context(&context); }
};

/// Decodes frames until `wanted` came out, or the stream ends; how many did (0: the stream is
/// unreadable). An error when the decoder does not open.
Result<int> decodeFrames(AVFormatContext *format, int streamIndex, const AVCodec *codec, int wanted)
{
    std::unique_ptr<AVCodecContext, CodecCloser> context(avcodec_alloc_context3(codec));
    if (!context
        || avcodec_parameters_to_context(context.get(), format->streams[streamIndex]->codecpar) < 0)
        return AppError{ ErrorCode::Internal, QStringLiteral("cannot allocate a decoder") };
    if (const int ret = avcodec_open2(context.get(), codec, nullptr); ret < 0) {
        // Out of threads or memory: the process's trouble, not the file's.
        if (ret == AVERROR(EAGAIN) || ret == AVERROR(ENOMEM)) {
            return AppError{ ErrorCode::Internal,
                             QStringLiteral("cannot open the %1 decoder (%2)")
                                 .arg(QLatin1String(codec->name), avError(ret)) };
        }
        return unsupported(QStringLiteral("truncated or corrupt file (the decoder refuses it: %1)")
                               .arg(avError(ret)));
    }
    AVPacket *packet = av_packet_alloc();
    AVFrame *frame = av_frame_alloc();
    int decoded = 0;
    const auto receive = [&] {
        while (decoded < wanted && avcodec_receive_frame(context.get(), frame) >= 0)
            ++decoded;
    };
    int packets = 0;
    while (decoded < wanted && packets < 500 && av_read_frame(format, packet) >= 0) {
        if (packet->stream_index == streamIndex) {
            ++packets;
            if (avcodec_send_packet(context.get(), packet) >= 0)
                receive();
        }
        av_packet_unref(packet);
    }
    if (decoded < wanted && avcodec_send_packet(context.get(), nullptr) >= 0) // drain
        receive();
    av_frame_free(&frame);
    av_packet_free(&packet);
    return decoded;
}

} // namespace

Result<VideoInfo> probeMedia(const QString &path)
{
    installFfmpegLogging();
    const QFileInfo fileInfo(path);
    if (!fileInfo.isFile())
        return AppError{ ErrorCode::NotFound, QStringLiteral("no such file") };
    if (fileInfo.size() == 0)
        return unsupported(QStringLiteral("not a video file: the file is empty"));

    AVFormatContext *raw = nullptr;
    if (avformat_open_input(&raw, QFile::encodeName(path).constData(), nullptr, nullptr) < 0) {
        return unsupported(looksLikeMediaContainer(path)
                               ? QStringLiteral("truncated or corrupt file")
                               : QStringLiteral("not a video file"));
    }
    std::unique_ptr<AVFormatContext, FormatCloser> format(raw);
    if (avformat_find_stream_info(format.get(), nullptr) < 0)
        return unsupported(QStringLiteral("truncated or corrupt file"));

    // Cover art in audio files is a "video stream" of one picture: not a video.
    int videoIndex = -1;
    for (unsigned i = 0; i < format->nb_streams; ++i) {
        const AVStream *stream = format->streams[i];
        if (stream->codecpar->codec_type == AVMEDIA_TYPE_VIDEO
            && !(stream->disposition & AV_DISPOSITION_ATTACHED_PIC)) {
            videoIndex = int(i);
            break;
        }
    }
    if (videoIndex < 0)
        return unsupported(QStringLiteral("no video stream"));
    const AVStream *video = format->streams[videoIndex];
    const AVCodec *codec = avcodec_find_decoder(video->codecpar->codec_id);
    const QString codecName = QString::fromLatin1(avcodec_get_name(video->codecpar->codec_id));
    // A photo comes through FFmpeg's image demuxers (image2, jpeg_pipe, png_pipe, ...) as a
    // "video" of one picture. The same demuxers read streams of pictures (a camera's MJPEG):
    // those are videos, as are animated GIF and PNG, but not a GIF of one picture.
    const QByteArray demuxer(format->iformat->name);
    const bool imageDemuxer
        = demuxer == "image2" || demuxer.endsWith("pipe") || demuxer == "gif" || demuxer == "apng";
    if (!codec)
        return unsupported(QStringLiteral("unsupported codec %1").arg(codecName));
    if (video->codecpar->width <= 0 || video->codecpar->height <= 0)
        return unsupported(QStringLiteral("truncated or corrupt file"));

    VideoInfo info;
    info.path = path;
    info.size = fileInfo.size();
    // As shown: a portrait phone video is stored as landscape pictures turned by 90 degrees.
    const QSize shown
        = shownSize(video->codecpar->width, video->codecpar->height, displayRotation(video));
    info.width = shown.width();
    info.height = shown.height();
    info.codec = codecName;
    info.container = QString::fromLatin1(format->iformat->name);
    const AVRational rate
        = av_guess_frame_rate(format.get(), const_cast<AVStream *>(video), nullptr);
    info.fps = rate.num > 0 && rate.den > 0 ? av_q2d(rate) : 0;
    if (format->duration > 0 && format->duration != AV_NOPTS_VALUE)
        info.durationSeconds = double(format->duration) / AV_TIME_BASE;
    else if (video->duration > 0)
        info.durationSeconds = double(video->duration) * av_q2d(video->time_base);
    const int audioIndex
        = av_find_best_stream(format.get(), AVMEDIA_TYPE_AUDIO, -1, videoIndex, nullptr, 0);
    info.hasAudio = audioIndex >= 0;
    if (info.hasAudio) {
        info.audioCodec = QString::fromLatin1(
            avcodec_get_name(format->streams[audioIndex]->codecpar->codec_id));
    }
    const Result<int> decoded = decodeFrames(format.get(), videoIndex, codec, imageDemuxer ? 2 : 1);
    if (!decoded)
        return decoded.error();
    const int frames = decoded.value();
    if (frames == 0)
        return unsupported(QStringLiteral("truncated or corrupt file"));
    if (imageDemuxer && frames == 1)
        return unsupported(QStringLiteral("not a video file: a still image (%1)").arg(codecName));
    return info;
}

} // namespace mmv::analysis
