#pragma once

#include <QByteArray>
#include <QString>

#include <memory>
#include <optional>
#include <vector>

namespace mmv::analysis {

/// A picture in planar YUV 4:2:0 with JPEG's full range: the luma rows, then the Cb and the
/// Cr rows at half the width and height (rounded up), each plane packed.
struct Yuv420Image
{
    int width = 0;
    int height = 0;
    std::vector<quint8> pixels;

    int chromaWidth() const { return (width + 1) / 2; }
    int chromaHeight() const { return (height + 1) / 2; }
    void allocate(int w, int h);
    quint8 *plane(int i);
    const quint8 *plane(int i) const;
    int stride(int i) const { return i == 0 ? width : chromaWidth(); }
    bool isNull() const { return pixels.empty(); }
};

/// Encodes baseline JPEG files with FFmpeg's MJPEG encoder (libavcodec, already linked for
/// decoding), straight from YUV 4:2:0: a keyframe needs no detour through RGB, and no image
/// codec registry is loaded (OpenCV's imencode() registers every GDAL driver on first use,
/// ~2.5 ms). The encoder stays open between pictures of the same size.
///
/// `qscale` multiplies the standard JPEG quantisation tables by qscale / 8: 2 is about
/// libjpeg's quality 87.
class JpegWriter
{
public:
    explicit JpegWriter(int qscale = 2);
    ~JpegWriter();
    JpegWriter(const JpegWriter &) = delete;
    JpegWriter &operator=(const JpegWriter &) = delete;

    /// The JPEG file's bytes; nullopt with a message on error.
    std::optional<QByteArray> encode(const Yuv420Image &image, QString *errorMessage = nullptr);
    /// The same from packed BGR rows.
    std::optional<QByteArray> encodeBgr(const quint8 *bgr, int width, int height, int stride,
                                        QString *errorMessage = nullptr);

    /// Writes `bytes` to `path`, renamed into place (never half a file, but not synced to the
    /// disk); false with a message on error.
    static bool save(const QByteArray &bytes, const QString &path, QString *errorMessage = nullptr);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace mmv::analysis
