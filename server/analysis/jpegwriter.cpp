#include "jpegwriter.h"

#include "server/analysis/ffmpeglog.h"
#include "server/analysis/swscaler.h"

#include <QFile>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavutil/frame.h>
#include <libavutil/opt.h>
#include <libswscale/swscale.h>
}

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace mmv::analysis {

void Yuv420Image::allocate(int w, int h)
{
    width = w;
    height = h;
    pixels.resize(size_t(w) * size_t(h) + 2 * size_t(chromaWidth()) * size_t(chromaHeight()));
}

quint8 *Yuv420Image::plane(int i)
{
    return const_cast<quint8 *>(std::as_const(*this).plane(i));
}

const quint8 *Yuv420Image::plane(int i) const
{
    const size_t luma = size_t(width) * size_t(height);
    const size_t chroma = size_t(chromaWidth()) * size_t(chromaHeight());
    return pixels.data() + (i == 0 ? 0 : luma + (i == 2 ? chroma : 0));
}

struct JpegWriter::Private
{
    ~Private()
    {
        avcodec_free_context(&codec);
        av_frame_free(&frame);
        av_packet_free(&packet);
        sws_freeContext(sws);
    }

    bool open(int width, int height, QString *errorMessage);

    int qscale = 2;
    AVCodecContext *codec = nullptr;
    AVFrame *frame = nullptr;
    AVPacket *packet = nullptr;
    SwsContext *sws = nullptr;
    qint64 nextPts = 0;
    Yuv420Image converted; ///< encodeBgr()'s picture
};

namespace {

void fail(QString *errorMessage, const QString &message)
{
    if (errorMessage)
        *errorMessage = message;
}

} // namespace

bool JpegWriter::Private::open(int width, int height, QString *errorMessage)
{
    if (codec && codec->width == width && codec->height == height)
        return true;
    avcodec_free_context(&codec);
    const AVCodec *encoder = avcodec_find_encoder(AV_CODEC_ID_MJPEG);
    if (!encoder) {
        fail(errorMessage, QStringLiteral("no JPEG encoder in libavcodec"));
        return false;
    }
    codec = avcodec_alloc_context3(encoder);
    if (!codec) {
        fail(errorMessage, QStringLiteral("out of memory"));
        return false;
    }
    codec->width = width;
    codec->height = height;
    // YUV 4:2:0 in full range is JPEG's own (the YUVJ formats are deprecated).
    codec->pix_fmt = AV_PIX_FMT_YUV420P;
    codec->color_range = AVCOL_RANGE_JPEG;
    codec->time_base = AVRational{ 1, 25 };
    codec->flags |= AV_CODEC_FLAG_QSCALE;
    codec->global_quality = FF_QP2LAMBDA * qscale;
    codec->thread_count = 1;
    // The standard Huffman tables: optimal ones (FFmpeg's default) take a second pass over
    // the coefficients to save a few per cent of a file of some 30 KB.
    av_opt_set(codec->priv_data, "huffman", "default", 0);
    if (const int ret = avcodec_open2(codec, encoder, nullptr); ret < 0) {
        fail(errorMessage, QStringLiteral("cannot open the JPEG encoder: %1").arg(avError(ret)));
        avcodec_free_context(&codec);
        return false;
    }
    return true;
}

JpegWriter::JpegWriter(int qscale)
    : d(std::make_unique<Private>())
{
    d->qscale = std::clamp(qscale, 1, 31);
}

JpegWriter::~JpegWriter() = default;

std::optional<QByteArray> JpegWriter::encode(const Yuv420Image &image, QString *errorMessage)
{
    if (image.isNull() || image.width < 1 || image.height < 1) {
        fail(errorMessage, QStringLiteral("empty picture"));
        return std::nullopt;
    }
    if (!d->open(image.width, image.height, errorMessage))
        return std::nullopt;
    if (!d->frame)
        d->frame = av_frame_alloc();
    if (!d->packet)
        d->packet = av_packet_alloc();
    if (!d->frame || !d->packet) {
        fail(errorMessage, QStringLiteral("out of memory"));
        return std::nullopt;
    }
    // The encoder reads the planes in place: a frame without buffers is copied only if the
    // encoder must keep it, which MJPEG does not.
    AVFrame *frame = d->frame;
    av_frame_unref(frame);
    frame->width = image.width;
    frame->height = image.height;
    frame->format = AV_PIX_FMT_YUV420P;
    frame->color_range = AVCOL_RANGE_JPEG;
    frame->quality = d->codec->global_quality;
    frame->pts = d->nextPts++; // the encoder wants them increasing
    for (int i = 0; i < 3; ++i) {
        frame->data[i] = const_cast<quint8 *>(image.plane(i));
        frame->linesize[i] = image.stride(i);
    }
    int ret = avcodec_send_frame(d->codec, frame);
    if (ret >= 0)
        ret = avcodec_receive_packet(d->codec, d->packet);
    av_frame_unref(frame);
    if (ret < 0) {
        fail(errorMessage, QStringLiteral("JPEG encoding failed: %1").arg(avError(ret)));
        // The encoder may be left waiting for a frame it will never get: start afresh.
        avcodec_free_context(&d->codec);
        return std::nullopt;
    }
    QByteArray bytes(reinterpret_cast<const char *>(d->packet->data), d->packet->size);
    av_packet_unref(d->packet);
    return bytes;
}

std::optional<QByteArray> JpegWriter::encodeBgr(const quint8 *bgr, int width, int height,
                                                int stride, QString *errorMessage)
{
    if (!bgr || width < 1 || height < 1) {
        fail(errorMessage, QStringLiteral("empty picture"));
        return std::nullopt;
    }
    d->sws = cachedScaler(d->sws, width, height, AV_PIX_FMT_BGR24, ScalerSide{ true }, width,
                          height, AV_PIX_FMT_YUV420P, ScalerSide{ true }, SWS_BILINEAR);
    if (!d->sws) {
        fail(errorMessage, QStringLiteral("cannot convert the picture"));
        return std::nullopt;
    }
    Yuv420Image &image = d->converted;
    image.allocate(width, height);
    const quint8 *src[4] = { bgr, nullptr, nullptr, nullptr };
    const int srcStride[4] = { stride, 0, 0, 0 };
    quint8 *dst[4] = { image.plane(0), image.plane(1), image.plane(2), nullptr };
    const int dstStride[4] = { image.stride(0), image.stride(1), image.stride(2), 0 };
    sws_scale(d->sws, src, srcStride, 0, height, dst, dstStride);
    return encode(image, errorMessage);
}

bool JpegWriter::save(const QByteArray &bytes, const QString &path, QString *errorMessage)
{
    // Written beside and renamed into place, so that a reader never sees half a file, but
    // not synced to the disk: QSaveFile's fdatasync() cost 1-2 ms per keyframe here, and a
    // keyframe lost to a power cut is derived data.
    const QString partial = path + QStringLiteral(".part");
    QFile file(partial);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(bytes) != bytes.size()
        || !file.flush()) {
        fail(errorMessage, file.errorString());
        file.remove();
        return false;
    }
    file.close();
    if (std::rename(QFile::encodeName(partial).constData(), QFile::encodeName(path).constData())
        != 0) {
        fail(errorMessage, QString::fromLocal8Bit(std::strerror(errno)));
        QFile::remove(partial);
        return false;
    }
    return true;
}

} // namespace mmv::analysis
